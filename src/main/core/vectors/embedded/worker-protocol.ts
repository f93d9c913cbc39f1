import type { VectorStoreErrorKind } from '../port';

/** Messages between WorkerEmbeddedStore and the worker hosting the EmbeddedVectorStore. */
export type StoreMethod =
  | 'upsert'
  | 'remove'
  | 'search'
  | 'count'
  | 'ids'
  | 'writeMarks'
  | 'drop'
  | 'describe'
  | 'flush'
  | 'setSyncMarker'
  | 'close';

export interface StoreRequest {
  id: number;
  method: StoreMethod;
  args: unknown[];
}

export type StoreReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { kind?: VectorStoreErrorKind; message: string } };
