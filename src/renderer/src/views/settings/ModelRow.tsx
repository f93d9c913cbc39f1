import { type FormEvent, type ReactElement, useState } from 'react';
import type { EmbeddingModel, ModelDownload } from '../../../../shared/model';
import { api } from '../../api/client';
import { ProgressBar } from '../../components/ProgressBar';
import { formatCount } from '../../format';
import { downloadLabel, downloadRunning, getModelLabel, modelStateLabel } from './model-labels';

export interface ModelRowProps {
  model: EmbeddingModel;
  download: ModelDownload | null;
  /** Another action is running: buttons that change the model wait. */
  busy: boolean;
  /** Runs an action for this model, showing its error in the section. */
  act: (id: string, action: () => Promise<unknown>) => Promise<void>;
  get: (model: EmbeddingModel) => Promise<void>;
  cancel: (model: EmbeddingModel) => Promise<void>;
}

/** One model in Settings > Models: its state, and using, getting or importing it. */
export function ModelRow({ model, download, busy, act, get, cancel }: ModelRowProps): ReactElement {
  const [importing, setImporting] = useState(false);
  const [importPath, setImportPath] = useState('');
  const running = downloadRunning(download);
  const types = model.importTypes.join(' or ');

  const submitImport = (event: FormEvent) => {
    event.preventDefault();
    const path = importPath.trim();
    if (!path) return;
    void act(model.id, async () => {
      await api['models:import']({ id: model.id, path });
      setImporting(false);
      setImportPath('');
    });
  };

  return (
    <li
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
            {model.dimension}-d · {formatCount(model.embedded)} {model.embedded === 1 ? 'photo' : 'photos'}{' '}
            indexed{model.license ? ` · ${model.license}` : ''}
          </span>
        </span>
        {model.description && <span className="folder-detail">{model.description}</span>}
        {!model.available && model.localCopy && !download && (
          <span className="muted small" data-testid="model-local-copy">
            Found in your Hugging Face cache: {model.localCopy}
          </span>
        )}
        {download && (
          <span className="model-download" data-testid="model-download">
            {download.step === 'downloading' && download.total !== null && (
              <ProgressBar
                done={download.received}
                total={download.total}
                label={`Downloading ${model.displayName}`}
              />
            )}
            <span className={download.step === 'failed' ? 'field-error' : 'muted small'}>
              {downloadLabel(download)}
            </span>
          </span>
        )}
        {importing && (
          <form className="field-row model-import" onSubmit={submitImport}>
            <label className="visually-hidden" htmlFor={`import-${model.id}`}>
              Path of the {types} file
            </label>
            <input
              id={`import-${model.id}`}
              className="text-input"
              data-testid="model-import-path"
              placeholder={`/path/to/model${model.importTypes[model.importTypes.length - 1]} (as the computer running Komorebi sees it)`}
              value={importPath}
              onChange={(event) => setImportPath(event.target.value)}
            />
            <button type="submit" className="button button-primary" disabled={busy}>
              Import
            </button>
            <button type="button" className="button button-quiet" onClick={() => setImporting(false)}>
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
            disabled={busy}
            onClick={() => void act(model.id, () => api['models:use']({ id: model.id }))}
          >
            Use
          </button>
        )}
        {!model.available && model.source === 'download' && !running && (
          <button
            type="button"
            className="button"
            data-testid="model-download-button"
            disabled={busy}
            onClick={() => void act(model.id, () => get(model))}
          >
            {getModelLabel(model)}
          </button>
        )}
        {running && (
          <button
            type="button"
            className="button button-quiet"
            data-testid="model-cancel-download"
            onClick={() => void act(model.id, () => cancel(model))}
          >
            Cancel
          </button>
        )}
        {model.source !== 'built-in' && !importing && !running && (
          <button
            type="button"
            className="button button-quiet"
            data-testid="model-import"
            onClick={() => setImporting(true)}
          >
            Import {types}…
          </button>
        )}
      </div>
    </li>
  );
}
