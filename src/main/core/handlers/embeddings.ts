import type { ApiHandlers } from '../../../shared/api';
import type { EmbeddingPipeline } from '../embed/embed-jobs';

type EmbeddingMethods = 'embeddings:threads' | 'embeddings:cancel';

/** The background indexing: how many CPU threads it may use, and stopping what waits. */
export function embeddingHandlers(pipeline: EmbeddingPipeline): Pick<ApiHandlers, EmbeddingMethods> {
  return {
    'embeddings:threads': async ({ cpuThreads }) => {
      await pipeline.setThreads(cpuThreads);
      return pipeline.threads();
    },
    'embeddings:cancel': async () => ({ cancelled: pipeline.cancel() }),
  };
}
