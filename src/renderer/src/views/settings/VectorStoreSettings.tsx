import { type ReactElement, useCallback, useEffect, useRef, useState } from 'react';
import type { VectorStoreStatus } from '../../../../shared/model';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { useEvent, useReconnect } from '../../hooks/use-event';
import { configFromForm, emptyStoreForm, formFromStatus, type StoreForm } from './store-form';
import { outboxLabel, storeCountsLabel, storeStateHint, storeStateLabel } from './store-labels';

const kinds: { kind: StoreForm['kind']; label: string; hint: string }[] = [
  { kind: 'embedded', label: 'Embedded', hint: 'Inside Komorebi, nothing to set up (recommended).' },
  { kind: 'milvus', label: 'Milvus server', hint: 'A Milvus standalone or cluster, or Zilliz Cloud.' },
  {
    kind: 'milvus-lite',
    label: 'Milvus Lite (local)',
    hint: 'A Milvus Lite server Komorebi starts on this computer.',
  },
];

/** Settings > Vector store: where the vectors are searched, with its live state. */
export function VectorStoreSettings(): ReactElement {
  const [status, setStatus] = useState<VectorStoreStatus | null>(null);
  const [form, setForm] = useState<StoreForm>(emptyStoreForm);
  const edited = useRef(false);
  const [test, setTest] = useState<{ ok: boolean; message: string } | null>(null);
  const [busy, setBusy] = useState<'test' | 'use' | null>(null);
  const [error, setError] = useState<string | null>(null);

  const showStatus = useCallback((next: VectorStoreStatus) => {
    setStatus(next);
    // Follow the store in use until the user starts editing the form.
    if (!edited.current) setForm(formFromStatus(next));
  }, []);
  const load = useCallback(() => {
    api['vectors:status']({})
      .then(showStatus)
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [showStatus]);
  useEffect(load, [load]);
  useEvent('vectors:status', showStatus);
  useReconnect(load);

  const change = (patch: Partial<StoreForm>) => {
    edited.current = true;
    setTest(null);
    setForm((f) => ({ ...f, ...patch }));
  };

  const run = async (what: 'test' | 'use') => {
    const built = configFromForm(form);
    if ('problem' in built) {
      setError(built.problem);
      return;
    }
    setBusy(what);
    setError(null);
    try {
      if (what === 'test') setTest(await api['vectors:test']({ config: built.config }));
      else {
        const next = await api['vectors:configure']({ config: built.config });
        edited.current = false;
        showStatus(next);
      }
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  const outbox = status ? outboxLabel(status.outbox) : null;
  return (
    <section className="card" aria-labelledby="vectors-title" data-testid="vector-store-settings">
      <h2 id="vectors-title">Vector store</h2>
      <p className="muted">
        Where photo vectors are searched. The library keeps every vector itself, so switching stores copies
        them over without indexing the photos again.
      </p>
      {status && (
        <div
          className={`vector-status vector-status-${status.state}`}
          data-testid="vector-status"
          data-state={status.state}
          role="status"
        >
          <span
            className={`status-badge ${status.state === 'ready' ? 'status-watching' : `status-${status.state === 'error' ? 'error' : 'scanning'}`}`}
          >
            {storeStateLabel(status)}
          </span>
          <span className="vector-location">{status.location}</span>
          <span className="muted">{storeCountsLabel(status)}</span>
          {status.model && (
            <span className="muted small">
              {status.model}
              {status.dimension ? ` · ${status.dimension}-d` : ''}
            </span>
          )}
          {outbox && (
            <span className="status-warn" data-testid="vector-outbox">
              {outbox}
            </span>
          )}
          {status.error && (
            <span className="field-error vector-error" data-testid="vector-error">
              {status.error}
            </span>
          )}
          {storeStateHint(status) && (
            <span className="muted" data-testid="vector-hint">
              {storeStateHint(status)}
            </span>
          )}
        </div>
      )}
      <fieldset className="store-kinds" data-testid="vector-store-kind">
        <legend className="field-label">Store</legend>
        {kinds.map((option) => (
          <label key={option.kind} className="radio-row">
            <input
              type="radio"
              name="vector-store-kind"
              value={option.kind}
              checked={form.kind === option.kind}
              onChange={() => change({ kind: option.kind })}
            />
            <span>
              {option.label}
              <span className="muted small"> — {option.hint}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {form.kind === 'milvus' && (
        <div className="store-fields">
          <label className="field-label" htmlFor="milvus-uri">
            Server address
          </label>
          <input
            id="milvus-uri"
            className="text-input"
            data-testid="milvus-uri"
            placeholder="http://localhost:19530 or https://….zillizcloud.com"
            value={form.uri}
            onChange={(event) => change({ uri: event.target.value })}
          />
          <label className="field-label" htmlFor="milvus-token">
            Token (user:password or API key; empty if the server needs none; it is never shown again)
          </label>
          <input
            id="milvus-token"
            type="password"
            autoComplete="off"
            className="text-input"
            data-testid="milvus-token"
            value={form.token}
            onChange={(event) => change({ token: event.target.value })}
          />
          <label className="checkbox-row">
            <input
              type="checkbox"
              data-testid="milvus-tls"
              checked={form.tls}
              onChange={(event) => change({ tls: event.target.checked })}
            />
            Use TLS (needed for Zilliz Cloud)
          </label>
        </div>
      )}
      {form.kind === 'milvus-lite' && (
        <p className="muted" data-testid="milvus-lite-note">
          Komorebi starts the Milvus Lite server that comes with it (Linux x64) and stops it when it quits.
        </p>
      )}
      <div className="field-row store-actions">
        <button
          type="button"
          className="button"
          data-testid="test-connection"
          disabled={busy !== null}
          onClick={() => void run('test')}
        >
          {busy === 'test' ? 'Testing…' : 'Test connection'}
        </button>
        <button
          type="button"
          className="button button-primary"
          data-testid="use-store"
          disabled={busy !== null}
          onClick={() => void run('use')}
        >
          {busy === 'use' ? 'Switching…' : 'Use this store'}
        </button>
      </div>
      {test && (
        <p className={test.ok ? 'test-ok' : 'field-error'} data-testid="test-result" role="status">
          {test.message}
        </p>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
