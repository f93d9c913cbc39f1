import { type ReactElement, useCallback, useEffect, useState } from 'react';
import type { EmbeddingModel } from '../../../../shared/model';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { ProgressBar } from '../../components/ProgressBar';
import { downloadLabel, downloadRunning, getModelLabel, suggestionText } from './model-labels';
import { useModelDownloads } from './use-model-downloads';

/**
 * The first-run suggestion at the top of the window: until ResNet-50 is here, say once that
 * Find similar will be better with it and offer it in one click; the offline model works meanwhile.
 * Answering it (getting the model, or "Not now") means it is not shown again.
 */
export function ModelSuggestion(): ReactElement | null {
  const [model, setModel] = useState<EmbeddingModel | null>(null);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const refresh = useCallback(() => {
    api['models:list']({})
      .then((list) => {
        const recommended = list.models.find((m) => m.recommended) ?? null;
        setModel(recommended);
        if (list.suggestRecommended && recommended) setOpen(true);
      })
      .catch(() => {}); // Settings shows the models' errors; the suggestion just stays away.
  }, []);
  useEffect(refresh, [refresh]);
  const downloads = useModelDownloads(refresh);

  if (!open || !model) return null;
  const download = downloads.downloadOf(model);
  const running = downloadRunning(download);
  const dismiss = () => api['models:dismiss-notice']({}).catch(() => {});
  const getIt = async () => {
    setError(null);
    void dismiss();
    try {
      await downloads.get(model);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <div className="banner banner-suggestion" role="status" data-testid="model-suggestion">
      <span className="banner-text">
        {download ? `${model.displayName}: ${downloadLabel(download)}` : suggestionText(model)}
        {error && <span className="field-error"> {error}</span>}
      </span>
      {download?.step === 'downloading' && download.total !== null && (
        <span className="banner-progress">
          <ProgressBar
            done={download.received}
            total={download.total}
            label={`Downloading ${model.displayName}`}
            compact
          />
        </span>
      )}
      <span className="banner-actions">
        {!running && download?.step !== 'ready' && (
          <button
            type="button"
            className="button button-primary"
            data-testid="model-suggestion-get"
            onClick={() => void getIt()}
          >
            {download?.step === 'failed' ? 'Try again' : getModelLabel(model)}
          </button>
        )}
        {running && (
          <button
            type="button"
            className="button"
            onClick={() => void downloads.cancel(model).catch((e) => setError(errorMessage(e)))}
          >
            Cancel
          </button>
        )}
        {!running && (
          <button
            type="button"
            className="button button-quiet"
            data-testid="model-suggestion-close"
            onClick={() => {
              setOpen(false);
              void dismiss();
            }}
          >
            {download ? 'Close' : 'Not now'}
          </button>
        )}
      </span>
    </div>
  );
}
