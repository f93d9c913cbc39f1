// Messages between the EmbedderPool (main thread) and its embed workers.
import type { ModelManifest } from './manifest';

export interface EmbedItem {
  /** Content hash of the photo: the key its vector is stored under. */
  hash: string;
  path: string;
  /**
   * The model's input pixels (input.size x input.size RGB) made at ingest from the photo's one
   * decode; when present the worker does not decode `path` (decision 0027).
   */
  rgb?: Uint8Array;
}

export type EmbedResult =
  | { hash: string; path: string; ok: true; vector: Float32Array }
  | { hash: string; path: string; ok: false; error: string };

export interface WorkerInit {
  manifest: ModelManifest;
  modelPath: string;
  intraOpThreads: number;
}

export type ToWorker = { type: 'batch'; batchId: number; items: EmbedItem[] };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'init-failed'; message: string }
  | { type: 'batch-done'; batchId: number; results: EmbedResult[] };
