import type { ApiHandlers } from '../../../shared/api';
import type { Notifier } from '../../../shared/events';
import type { EmbeddingModel, ModelDownload } from '../../../shared/model';
import type { EmbeddingPipeline } from '../embed/embed-jobs';
import { findHuggingFaceCopy } from '../embed/huggingface-cache';
import { findManifest } from '../embed/manifest';
import { DownloadCancelled, downloadModel, importModel } from '../embed/model-manager';
import { ModelRequestError } from '../errors';
import type { VectorIndex } from '../search/vector-index';

type ModelMethods =
  | 'models:list'
  | 'models:use'
  | 'models:download'
  | 'models:cancel-download'
  | 'models:import'
  | 'models:dismiss-notice';

export interface ModelServices {
  notifier: Notifier;
  pipeline: EmbeddingPipeline;
  index: VectorIndex;
  manifestDir: string;
  modelsDir: string;
  /** The Hugging Face hub cache, searched for copies of published weights. */
  huggingFaceHub: string;
}

/** Progress events at most this often (a 102 MB download arrives in thousands of chunks). */
const PROGRESS_EVERY_MS = 200;

/** Settings → Models: which embedding models there are, which is used, getting one. */
export function modelHandlers(s: ModelServices): Pick<ApiHandlers, ModelMethods> {
  const { notifier, pipeline, index } = s;
  const running = new Map<string, AbortController>();
  const latest = new Map<string, ModelDownload>();
  const lastEmit = new Map<string, number>();

  const report = (id: string, d: ModelDownload) => {
    const previous = latest.get(id);
    latest.set(id, d);
    const done = d.step === 'ready' || d.step === 'failed' || d.step === 'cancelled';
    const now = Date.now();
    if (!done && d.step === previous?.step && now - (lastEmit.get(id) ?? 0) < PROGRESS_EVERY_MS) return;
    lastEmit.set(id, now);
    notifier.emit('models:download', { id, ...d, done });
  };

  // A new model is used at once; the library is embedded again in the background, and vectors
  // of the two models stay apart (each vector records its model id).
  const activate = async (id: string) => {
    // biome-ignore lint/correctness/useHookAtTopLevel: useModel is the pipeline's method, not a React hook.
    await pipeline.useModel(id);
    await index.open();
  };

  const models = async (): Promise<EmbeddingModel[]> =>
    Promise.all(
      pipeline.models().map(async (m) => ({
        ...m,
        localCopy: m.available
          ? null
          : await findHuggingFaceCopy(findManifest(m.id, s.manifestDir), s.huggingFaceHub),
        download: latest.get(m.id) ?? null,
      })),
    );

  return {
    'models:list': async () => {
      pipeline.refreshModels(); // Settings shows what is on disk now (a file may have been copied in)
      const list = await models();
      const t = pipeline.threads();
      const recommended = list.find((m) => m.recommended);
      return {
        models: list,
        cpuThreads: t.workers * t.threadsPerWorker,
        ...t,
        suggestRecommended: !!recommended && !recommended.available && !pipeline.suggestionDismissed(),
      };
    },
    'models:use': async ({ id }) => {
      await activate(id);
      return { models: await models() };
    },
    'models:download': async ({ id }) => {
      const manifest = findManifest(id, s.manifestDir);
      if (manifest.source.kind !== 'download') {
        const how =
          manifest.source.kind === 'built-in' ? 'built into Komorebi' : 'imported from a file (Import)';
        throw new ModelRequestError(`"${manifest.displayName}" cannot be downloaded: it is ${how}.`);
      }
      const localCopy = await findHuggingFaceCopy(manifest, s.huggingFaceHub);
      const from = localCopy ? 'local-copy' : 'download';
      if (running.has(id)) return { started: false, from };
      const control = new AbortController();
      running.set(id, control);
      let step: ModelDownload['step'] = localCopy ? 'converting' : 'downloading';
      let received = 0;
      let total = manifest.source.size ?? null;
      const progress = () => report(id, { step, received, total, error: null });
      progress();
      // It runs on; progress and the outcome arrive as events (and in models:list).
      void (async () => {
        try {
          if (localCopy) await importModel(manifest, localCopy, s.modelsDir, { signal: control.signal });
          else {
            await downloadModel(manifest, s.modelsDir, {
              signal: control.signal,
              onProgress: (p) => {
                received = p.receivedBytes;
                total = p.totalBytes ?? total;
                progress();
              },
              onStep: (next) => {
                step = next;
                progress();
              },
            });
          }
          await activate(id);
          report(id, { step: 'ready', received, total, error: null });
        } catch (e) {
          const cancelled = e instanceof DownloadCancelled;
          report(id, {
            step: cancelled ? 'cancelled' : 'failed',
            received,
            total,
            error: (e as Error).message,
          });
        } finally {
          running.delete(id);
        }
      })();
      return { started: true, from };
    },
    'models:cancel-download': async ({ id }) => {
      const control = running.get(id);
      control?.abort();
      return { cancelled: control !== undefined };
    },
    'models:import': async ({ id, path }) => {
      await importModel(findManifest(id, s.manifestDir), path, s.modelsDir);
      await activate(id);
      return { models: await models() };
    },
    'models:dismiss-notice': async () => {
      pipeline.dismissSuggestion();
      return { ok: true };
    },
  };
}
