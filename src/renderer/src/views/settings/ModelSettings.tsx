import { type FormEvent, type ReactElement, useCallback, useEffect, useRef, useState } from 'react';
import type { ApiOutput } from '../../../../shared/api';
import { limits } from '../../../../shared/limits';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { formatCount } from '../../format';
import { useReconnect } from '../../hooks/use-event';
import { useThrottledEvent } from '../../hooks/use-throttled-event';
import { ModelRow } from './ModelRow';
import { modelCounts, OFFLINE_MODEL_ID } from './model-labels';
import { useModelDownloads } from './use-model-downloads';

type ModelList = ApiOutput<'models:list'>;

/** Settings > Models: which model makes the vectors, getting better ones, and CPU threads. */
export function ModelSettings(): ReactElement {
  const [list, setList] = useState<ModelList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [threads, setThreads] = useState('');
  const [threadsNote, setThreadsNote] = useState<string | null>(null);

  const load = useCallback(() => {
    api['models:list']({})
      .then((next) => {
        setList(next);
        setError(null);
      })
      .catch((e: unknown) => setError(errorMessage(e)));
  }, []);
  useEffect(load, [load]);
  // The field starts at the current count once; after that it is the user's (they may clear it to type).
  const threadsShown = useRef(false);
  useEffect(() => {
    if (!list || threadsShown.current) return;
    threadsShown.current = true;
    setThreads(String(list.cpuThreads));
  }, [list]);
  // Embedded counts grow while the library is indexed.
  useThrottledEvent('jobs:progress', load, 3000);
  useReconnect(load);
  const downloads = useModelDownloads(load);

  const act = async (id: string, action: () => Promise<unknown>) => {
    setBusy(id);
    setError(null);
    try {
      await action();
      load();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  const submitThreads = async (event: FormEvent) => {
    event.preventDefault();
    const cpuThreads = Number(threads);
    const { min, max } = limits.cpuThreads;
    if (!Number.isInteger(cpuThreads) || cpuThreads < min || cpuThreads > max) {
      setThreadsNote(`Enter a whole number of threads from ${min} to ${max}.`);
      return;
    }
    try {
      const t = await api['embeddings:threads']({ cpuThreads });
      setThreadsNote(
        `Indexing now uses ${t.workers} ${t.workers === 1 ? 'worker' : 'workers'} × ${t.threadsPerWorker} ${
          t.threadsPerWorker === 1 ? 'thread' : 'threads'
        }.`,
      );
      load();
    } catch (e) {
      setThreadsNote(errorMessage(e));
    }
  };

  const models = list?.models ?? [];
  const counts = modelCounts(models);
  return (
    <section className="card" aria-labelledby="models-title" data-testid="model-settings">
      <h2 id="models-title">Models</h2>
      <p className="muted">
        A model turns each photo into a vector; "Find similar" and Duplicates compare those vectors. Changing
        the model indexes the library again in the background.
      </p>
      {list && (
        <p className="small" data-testid="model-counts">
          {counts.active ? `Active: ${counts.active.displayName}` : 'No model is active'} ·{' '}
          {formatCount(counts.available)} of {formatCount(models.length)} available ·{' '}
          {formatCount(counts.embedded)} {counts.embedded === 1 ? 'photo' : 'photos'} indexed
        </p>
      )}
      {counts.active?.id === OFFLINE_MODEL_ID && (
        <p className="notice" data-testid="offline-model-notice">
          Using the built-in offline model; ResNet-50 gives better results: get it below (one click).
        </p>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {list === null ? (
        !error && <p className="muted">Loading models…</p>
      ) : (
        <ul className="row-list">
          {models.map((model) => (
            <ModelRow
              key={model.id}
              model={model}
              download={downloads.downloadOf(model)}
              busy={busy !== null}
              act={act}
              get={downloads.get}
              cancel={downloads.cancel}
            />
          ))}
        </ul>
      )}
      <form className="threads-row" onSubmit={(event) => void submitThreads(event)}>
        <label htmlFor="cpu-threads">CPU threads for indexing</label>
        <input
          id="cpu-threads"
          type="number"
          min={limits.cpuThreads.min}
          max={limits.cpuThreads.max}
          className="text-input number-input"
          data-testid="cpu-threads"
          value={threads}
          onChange={(event) => setThreads(event.target.value)}
        />
        <button type="submit" className="button">
          Apply
        </button>
        {list && (
          <span className="muted small">
            now {list.workers} × {list.threadsPerWorker}
          </span>
        )}
      </form>
      {threadsNote && <p className="muted small">{threadsNote}</p>}
    </section>
  );
}
