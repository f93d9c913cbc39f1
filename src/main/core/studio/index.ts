import type { ComicEngine, ComicEngineId, OpenAIEngineConfig } from './engine';
import { createImagesEngine } from './openai-images';
import { createResponsesEngine } from './openai-responses';

export { checkOpenAIAccess } from './connection';
export * from './engine';
export * from './errors';
export * from './export';
export { createImagesEngine } from './openai-images';
export { buildResponsesBody, createResponsesEngine } from './openai-responses';
export * from './panels';
export * from './prompt';
export * from './references';
export type { RetryPolicy } from './retry';

/** The engine chosen in Settings. */
export function createComicEngine(id: ComicEngineId, cfg: OpenAIEngineConfig): ComicEngine {
  return id === 'openai-images' ? createImagesEngine(cfg) : createResponsesEngine(cfg);
}
