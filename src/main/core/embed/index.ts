// Public API of the embed area: model manifests, preprocessing, the ONNX worker pool and the
// model manager and the ResNet-50 converter. See docs/models.md.

export { convertTimmResnet50, TIMM_BATCHNORM_EPS } from './convert-resnet50';
export { findHuggingFaceCopy, huggingFaceHubDir } from './huggingface-cache';
export {
  defaultManifestDir,
  findManifest,
  findModelFile,
  listModels,
  loadManifest,
  type ModelManifest,
  modelManifestSchema,
  parseManifest,
} from './manifest';
export {
  checkModelFile,
  DownloadCancelled,
  type DownloadOptions,
  type DownloadProgress,
  downloadModel,
  importModel,
  sha256File,
} from './model-manager';
export { type EmbeddingSession, l2Normalize, openEmbeddingSession } from './onnx';
export { missingModelMessage, type OpenEmbedderOptions, openEmbedder } from './open-embedder';
export { EmbedderPool, type EmbedderPoolOptions, planThreads } from './pool';
export { planResizeCrop, preprocessImage } from './preprocess';
export type { EmbedItem, EmbedResult } from './protocol';
export { resolveEmbedWorker } from './worker-url';
