import { useCallback, useState } from 'react';
import type { EmbeddingModel, ModelDownload } from '../../../../shared/model';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { useEvent } from '../../hooks/use-event';

/**
 * Getting models: what each download is doing (from its events, else from what the core said
 * in models:list), and the actions. `onDone` runs when one ends (the list changes then).
 */
export function useModelDownloads(onDone: () => void): {
  downloadOf: (model: EmbeddingModel) => ModelDownload | null;
  get: (model: EmbeddingModel) => Promise<void>;
  cancel: (model: EmbeddingModel) => Promise<void>;
} {
  const [seen, setSeen] = useState<Record<string, ModelDownload>>({});
  useEvent('models:download', ({ id, done, ...download }) => {
    setSeen((d) => ({ ...d, [id]: download }));
    if (done) onDone();
  });
  const downloadOf = useCallback((model: EmbeddingModel) => seen[model.id] ?? model.download, [seen]);
  const get = useCallback(async (model: EmbeddingModel) => {
    const step = model.localCopy ? 'converting' : 'downloading';
    setSeen((d) => ({ ...d, [model.id]: { step, received: 0, total: model.downloadBytes, error: null } }));
    try {
      await api['models:download']({ id: model.id });
    } catch (e) {
      const error = errorMessage(e);
      setSeen((d) => ({ ...d, [model.id]: { step: 'failed', received: 0, total: null, error } }));
      throw e;
    }
  }, []);
  const cancel = useCallback(async (model: EmbeddingModel) => {
    await api['models:cancel-download']({ id: model.id });
  }, []);
  return { downloadOf, get, cancel };
}
