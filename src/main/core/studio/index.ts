import type { ComicEngine, ComicEngineId, OpenAIEngineConfig } from './engine';
import { createImagesEngine } from './openai-images';
import { createResponsesEngine } from './openai-responses';

export { checkOpenAIAccess } from './connection';
export * from './engine';
export * from './errors';
export * from './export';
export { createImagesEngine, DEFAULT_IMAGES_MODEL } from './openai-images';
export { buildResponsesBody, createResponsesEngine, DEFAULT_RESPONSES_MODEL } from './openai-responses';
export * from './panels';
export * from './prompt';
export * from './references';
export type { RetryPolicy } from './retry';

/** The engine chosen in Settings. */
export function createComicEngine(id: ComicEngineId, cfg: OpenAIEngineConfig): ComicEngine {
  return id === 'openai-images' ? createImagesEngine(cfg) : createResponsesEngine(cfg);
}
