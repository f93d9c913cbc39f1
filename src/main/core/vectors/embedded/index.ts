export { type IndexHealth, needsRebuild } from './sidecar';
export {
  type EmbeddedStoreOptions,
  EmbeddedVectorStore,
  GRAPH_DEFAULTS,
  openEmbeddedStore,
  searchListSize,
} from './store';
export { openEmbeddedStoreInWorker, resolveVectorStoreWorker, WorkerEmbeddedStore } from './worker-store';
