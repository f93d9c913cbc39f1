import { type FormEvent, type ReactElement, useCallback, useEffect, useRef, useState } from 'react';
import type { ApiOutput } from '../../../../shared/api';
import { limits } from '../../../../shared/limits';
import type { EmbeddingModel } from '../../../../shared/model';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { ProgressBar } from '../../components/ProgressBar';
import { formatCount } from '../../format';
import { useEvent, useReconnect } from '../../hooks/use-event';
import { useThrottledEvent } from '../../hooks/use-throttled-event';
import {
  type DownloadProgress,
  downloadLabel,
  modelCounts,
  modelStateLabel,
  OFFLINE_MODEL_ID,
} from './model-labels';

type ModelList = ApiOutput<'models:list'>;

/** Settings > Models: which model makes the vectors, getting better ones, and CPU threads. */
export function ModelSettings(): ReactElement {
  const [list, setList] = useState<ModelList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [downloads, setDownloads] = useState<Record<string, DownloadProgress>>({});
  const [importing, setImporting] = useState<string | null>(null);
  const [importPath, setImportPath] = useState('');
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
  useEvent('models:download', ({ id, received, total, done, error: failure }) => {
    setDownloads((d) => ({ ...d, [id]: { received, total, done, error: failure } }));
    if (done) load();
  });

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

  const submitImport = (event: FormEvent, model: EmbeddingModel) => {
    event.preventDefault();
    const path = importPath.trim();
    if (!path) return;
    void act(model.id, async () => {
      await api['models:import']({ id: model.id, path });
      setImporting(null);
      setImportPath('');
    });
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
          Using the built-in offline model; ResNet-50 gives better results — import it (see docs/models.md).
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
          {models.map((model) => {
            const download = downloads[model.id];
            const downloading = download !== undefined && !download.done;
            return (
              <li
                key={model.id}
                className="settings-row settings-row-top"
                data-testid="model-row"
                data-model-id={model.id}
                data-active={model.active || undefined}
              >
                <div className="settings-row-main">
                  <span className="model-name">{model.displayName}</span>
                  <span className="folder-meta">
                    <span className={model.active ? 'status-badge status-watching' : 'status-badge'}>
                      {modelStateLabel(model)}
                    </span>
                    <span className="muted">
                      {model.dimension}-d · {formatCount(model.embedded)}{' '}
                      {model.embedded === 1 ? 'photo' : 'photos'} indexed
                    </span>
                  </span>
                  {model.description && <span className="folder-detail">{model.description}</span>}
                  {download && (
                    <span className="model-download" data-testid="model-download">
                      {downloading && download.total !== null && (
                        <ProgressBar
                          done={download.received}
                          total={download.total}
                          label={`Downloading ${model.displayName}`}
                        />
                      )}
                      <span className={download.error ? 'field-error' : 'muted small'}>
                        {downloadLabel(download)}
                      </span>
                    </span>
                  )}
                  {importing === model.id && (
                    <form className="field-row model-import" onSubmit={(event) => submitImport(event, model)}>
                      <label className="visually-hidden" htmlFor={`import-${model.id}`}>
                        Path of the .onnx file
                      </label>
                      <input
                        id={`import-${model.id}`}
                        className="text-input"
                        data-testid="model-import-path"
                        placeholder="/path/to/model.onnx (as the computer running Komorebi sees it)"
                        value={importPath}
                        onChange={(event) => setImportPath(event.target.value)}
                      />
                      <button type="submit" className="button button-primary" disabled={busy === model.id}>
                        Import
                      </button>
                      <button
                        type="button"
                        className="button button-quiet"
                        onClick={() => setImporting(null)}
                      >
                        Cancel
                      </button>
                    </form>
                  )}
                </div>
                <div className="folder-actions">
                  {model.available && !model.active && (
                    <button
                      type="button"
                      className="button"
                      data-testid="model-use"
                      disabled={busy !== null}
                      onClick={() => void act(model.id, () => api['models:use']({ id: model.id }))}
                    >
                      Use
                    </button>
                  )}
                  {!model.available && model.source === 'download' && (
                    <button
                      type="button"
                      className="button"
                      data-testid="model-download-button"
                      disabled={downloading || busy !== null}
                      onClick={() =>
                        void act(model.id, async () => {
                          setDownloads((d) => ({
                            ...d,
                            [model.id]: { received: 0, total: null, done: false, error: null },
                          }));
                          await api['models:download']({ id: model.id });
                        })
                      }
                    >
                      Download
                    </button>
                  )}
                  {model.source !== 'built-in' && importing !== model.id && (
                    <button
                      type="button"
                      className="button button-quiet"
                      data-testid="model-import"
                      onClick={() => setImporting(model.id)}
                    >
                      Import .onnx…
                    </button>
                  )}
                </div>
              </li>
            );
          })}
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
