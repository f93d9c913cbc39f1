import type { ApiHandlers } from '../../../shared/api';
import type { Notifier } from '../../../shared/events';
import type { EmbeddingPipeline } from '../embed/embed-jobs';
import { findManifest } from '../embed/manifest';
import { downloadModel, importModel } from '../embed/model-manager';
import type { VectorIndex } from '../search/vector-index';

type ModelMethods = 'models:list' | 'models:use' | 'models:download' | 'models:import';

export interface ModelServices {
  notifier: Notifier;
  pipeline: EmbeddingPipeline;
  index: VectorIndex;
  manifestDir: string;
  modelsDir: string;
}

/** Settings → Models: which embedding models there are, which is used, getting one. */
export function modelHandlers(s: ModelServices): Pick<ApiHandlers, ModelMethods> {
  const { notifier, pipeline, index } = s;
  const downloads = new Set<string>();
  return {
    'models:list': async () => {
      pipeline.refreshModels(); // Settings shows what is on disk now (a file may have been copied in)
      const t = pipeline.threads();
      return { models: pipeline.models(), cpuThreads: t.workers * t.threadsPerWorker, ...t };
    },
    'models:use': async ({ id }) => {
      await pipeline.useModel(id);
      await index.open();
      return { models: pipeline.models() };
    },
    'models:download': async ({ id }) => {
      if (downloads.has(id)) return { started: false };
      const manifest = findManifest(id, s.manifestDir);
      downloads.add(id);
      const report = (received: number, total: number | null, done: boolean, error: string | null) =>
        notifier.emit('models:download', { id, received, total, done, error });
      // The download runs on; progress and the outcome arrive as events.
      void downloadModel(manifest, s.modelsDir, {
        onProgress: (p) => report(p.receivedBytes, p.totalBytes ?? null, false, null),
      })
        .then(() => {
          pipeline.refreshModels();
          report(0, null, true, null);
        })
        .catch((e: Error) => report(0, null, true, e.message))
        .finally(() => downloads.delete(id));
      return { started: true };
    },
    'models:import': async ({ id, path }) => {
      await importModel(findManifest(id, s.manifestDir), path, s.modelsDir);
      pipeline.refreshModels();
      return { models: pipeline.models() };
    },
  };
}
