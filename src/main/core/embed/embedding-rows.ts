import type { Db } from '../library/db';
import { ProblemRows } from '../library/problems';

/** Stored vectors are float32 little-endian blobs. */
export function vectorToBlob(v: Float32Array): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

export function blobToVector(b: Buffer): Float32Array {
  const copy = new Uint8Array(b.byteLength);
  copy.set(b);
  return new Float32Array(copy.buffer);
}

/**
 * The embeddings table (one vector per photo and model), and what the embedding pipeline
 * reads of the library to fill it: which photos still lack a vector, and a copy of a photo
 * it can read now. Statements are prepared once.
 */
/**
 * What the embedding sweep queues. Photos already waiting (or failed) are left out: during an
 * import of 100,000 files each sweep (one every 500 ms after a library change) used to hand
 * every file still without a vector back to the queue, row by row, so an import cost sweeps x
 * files. Both probes are index lookups (EXPLAIN QUERY PLAN: bench/load.ts prints it).
 */
const missing = (files: string, since = '') => `SELECT DISTINCT f.hash FROM ${files}
  WHERE f.status = 'ok' AND f.hash IS NOT NULL${since}
    AND NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.hash = f.hash AND e.model_id = @model)
    AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.kind = 'embed' AND j.key = @model || ':' || f.hash)`;

/** Every photo of the library: at start, after a model switch, after a folder scan. */
export const MISSING_SQL = missing('files f');

/**
 * Only files written since `@since`, a range of the files_changed index (named: without
 * statistics SQLite would rather walk every 'ok' file): the sweep after a library change.
 * Looking at every file each time made an import of N files cost N x sweeps (decision 0055).
 */
export const MISSING_SINCE_SQL = missing('files f INDEXED BY files_changed', ' AND f.updated_at >= @since');

export class EmbeddingRows {
  private readonly s;
  private readonly problems: ProblemRows;

  constructor(private readonly db: Db) {
    this.problems = new ProblemRows(db);
    this.s = {
      counts: db.prepare('SELECT model_id AS id, count(*) AS n FROM embeddings GROUP BY model_id'),
      missing: db.prepare(MISSING_SQL).pluck(),
      missingSince: db.prepare(MISSING_SINCE_SQL).pluck(),
      vector: db.prepare('SELECT vector FROM embeddings WHERE hash = ? AND model_id = ?').pluck(),
      modelsOf: db.prepare('SELECT model_id FROM embeddings WHERE hash = ?').pluck(),
      drop: db.prepare('DELETE FROM embeddings WHERE hash = ?'),
      readableCopy: db.prepare(
        `SELECT f.path, d.path AS root FROM files f JOIN folders d ON d.id = f.folder_id
         WHERE f.hash = ? AND f.status = 'ok' AND d.status != 'offline' ORDER BY f.id LIMIT 1`,
      ),
      store: db.prepare(
        `INSERT INTO embeddings (hash, model_id, dim, vector, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(hash, model_id) DO UPDATE SET vector = excluded.vector, dim = excluded.dim,
           created_at = excluded.created_at, seq = (SELECT coalesce(max(seq), 0) + 1 FROM embeddings)`,
      ),
    };
  }

  /** Vectors per model. */
  counts(): Map<string, number> {
    const rows = this.s.counts.all() as { id: string; n: number }[];
    return new Map(rows.map((r) => [r.id, r.n]));
  }

  /**
   * Photos of the library with no vector from this model yet, and no embed job for it either;
   * with `since`, only those with a file written at or after that time (ms).
   */
  missing(modelId: string, since?: number): string[] {
    if (since === undefined) return this.s.missing.all({ model: modelId }) as string[];
    return this.s.missingSince.all({ model: modelId, since }) as string[];
  }

  /** Stored vectors of several photos (those that have one). */
  vectors(hashes: string[], modelId: string): Map<string, Float32Array> {
    const out = new Map<string, Float32Array>();
    for (const h of hashes) {
      const blob = this.s.vector.get(h, modelId) as Buffer | undefined;
      if (blob) out.set(h, blobToVector(blob));
    }
    return out;
  }

  /** Drops every model's vectors of these photos; returns the models that had one. */
  forget(hashes: string[]): string[] {
    const models = new Set<string>();
    this.db.transaction(() => {
      for (const h of hashes) {
        for (const m of this.s.modelsOf.all(h) as string[]) models.add(m);
        this.s.drop.run(h);
      }
    })();
    return [...models];
  }

  /** A file of the photo in a folder that is online now, with that folder (its root). */
  readableCopy(hash: string): { path: string; root: string } | undefined {
    return this.s.readableCopy.get(hash) as { path: string; root: string } | undefined;
  }

  /** A batch's outcome in one transaction: the vectors made, and a problem for each photo that failed. */
  record(
    modelId: string,
    vectors: { hash: string; vector: Float32Array }[],
    failures: { path: string; reason: string }[],
  ): void {
    const now = Date.now();
    this.db.transaction(() => {
      for (const v of vectors)
        this.s.store.run(v.hash, modelId, v.vector.length, vectorToBlob(v.vector), now);
      for (const f of failures) this.problems.add(f.path, 'embedding', f.reason);
    })();
  }
}
