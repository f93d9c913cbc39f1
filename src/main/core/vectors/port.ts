import type { ExpectedErrorName } from '../../../shared/errors';

/**
 * The VectorStore port: where photo vectors are searched. SQLite stays the source of truth
 * (embeddings table); a store is a derived copy the app can drop and refill at any time.
 * Two adapters implement it: the embedded store (usearch, default) and Milvus.
 */

/** One photo's vector, keyed by the photo's content hash. */
export interface VectorItem {
  /** Content hash of the photo. */
  id: string;
  vector: Float32Array;
  /** Watched folders holding a file with this content (a photo can live in several). */
  folderIds: number[];
  /** Capture time in ms since epoch (EXIF), or null when unknown. */
  takenAt: number | null;
}

export interface VectorFilter {
  /** Keep photos in at least one of these folders. An empty list matches nothing. */
  folderIds?: number[];
  /** Inclusive lower bound on takenAt (ms). Photos without a date never match a date range. */
  from?: number;
  /** Inclusive upper bound on takenAt (ms). */
  to?: number;
  /** Content hashes to leave out (typically the query photos themselves). */
  excludeIds?: string[];
}

export interface VectorHit {
  id: string;
  /** Cosine similarity: 1 is identical direction, higher is closer. */
  score: number;
}

export type VectorStoreKind = 'embedded' | 'milvus';

export interface VectorStoreDescription {
  kind: VectorStoreKind;
  /** Model id whose vectors this store holds. */
  model: string;
  dimension: number;
  count: number;
  /** Where the vectors live, for Settings: a directory, or a Milvus URI + collection. */
  location: string;
  /** Caller-defined marker of the last SQLite row copied in (embedded store only). */
  syncMarker?: string | null;
  [extra: string]: unknown;
}

/** What the app asks of a vector store: the index keeps one per model in step through the outbox. */
export interface VectorStore {
  /** Inserts or replaces vectors by id. Vectors need not be normalised. */
  upsert(items: VectorItem[]): Promise<void>;
  remove(ids: string[]): Promise<void>;
  /** Up to k nearest hits, sorted by score descending. */
  search(vector: Float32Array, k: number, filter?: VectorFilter): Promise<VectorHit[]>;
  count(): Promise<number>;
  /** Every id it holds: what the index compares with SQLite's ids at open. */
  ids(): Promise<string[]>;
  /**
   * Stores that acknowledge a write before it is on disk (the embedded store saves on a
   * timer) say how far they got: writes are numbered from 1 as they are acknowledged, and
   * `durable` is the last one a crash can no longer undo. A store without this method makes
   * every write durable before acknowledging it (Milvus).
   */
  writeMarks?(): Promise<WriteMarks>;
  close(): Promise<void>;
}

export interface WriteMarks {
  acknowledged: number;
  durable: number;
}

/**
 * What every adapter also offers, for the contract tests, the benchmarks and maintenance:
 * the app itself never drops a store (a user's Milvus collection is theirs, and any store
 * is refilled from SQLite) and never reads a store's own description (Settings shows the
 * status the index works out).
 */
export interface ManagedVectorStore extends VectorStore {
  /** Deletes every vector and the store's persisted data (files or collection). */
  drop(): Promise<void>;
  describe(): Promise<VectorStoreDescription>;
}

export type VectorStoreErrorKind = 'unreachable' | 'auth' | 'version' | 'invalid' | 'server';

/**
 * A failure a user can act on. `message` is written for the Settings/Activity view:
 * what happened, to which store, what to do. `cause` keeps the technical detail for logs.
 */
export class VectorStoreError extends Error {
  override readonly name = 'VectorStoreError' satisfies ExpectedErrorName;
  constructor(
    readonly kind: VectorStoreErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isVectorStoreError(error: unknown): error is VectorStoreError {
  return error instanceof VectorStoreError;
}

/** Checks the shape of items before they reach an engine, so bad input fails the same way everywhere. */
export function checkItems(items: VectorItem[], dimension: number): void {
  for (const item of items) {
    if (typeof item.id !== 'string' || item.id.length === 0 || item.id.length > 128) {
      throw new VectorStoreError(
        'invalid',
        `A vector id must be a content hash of 1-128 characters (got "${String(item.id)}").`,
      );
    }
    if (!(item.vector instanceof Float32Array) || item.vector.length !== dimension) {
      throw new VectorStoreError(
        'invalid',
        `The vector for ${item.id} has ${item.vector?.length ?? 0} dimensions; this store holds ${dimension}-d vectors. Rebuild the index for the current model.`,
      );
    }
    let norm = 0;
    for (const v of item.vector) {
      if (!Number.isFinite(v))
        throw new VectorStoreError('invalid', `The vector for ${item.id} contains NaN or Infinity.`);
      norm += v * v;
    }
    // Cosine similarity is undefined for a zero vector; an embedding never is one.
    if (norm === 0) throw new VectorStoreError('invalid', `The vector for ${item.id} is all zeros.`);
  }
}

export function checkQuery(vector: Float32Array, k: number, dimension: number): void {
  if (!(vector instanceof Float32Array) || vector.length !== dimension) {
    throw new VectorStoreError(
      'invalid',
      `The query vector has ${vector?.length ?? 0} dimensions; this store holds ${dimension}-d vectors.`,
    );
  }
  if (!Number.isInteger(k) || k < 1)
    throw new VectorStoreError('invalid', `k must be a positive integer (got ${k}).`);
}
