export type { MilvusConnection } from './config';
export { collectionNameFor } from './naming';
export { type MilvusStoreOptions, MilvusVectorStore, openMilvusStore } from './store';
export { type ConnectionTestResult, testConnection } from './test-connection';
