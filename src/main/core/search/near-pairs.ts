import type { Db } from '../library/db';

/** A photo is in the library while a readable file points at it (an orphan waits for GC). */
const IN_LIBRARY = (hash: string) =>
  `EXISTS (SELECT 1 FROM files f WHERE f.hash = ${hash} AND f.status = 'ok')`;

/**
 * The look-alike pairs (near_pairs) found once per photo and model, and which photos were
 * looked at (near_scanned). Reads only return photos still in the library, so a pair never
 * joins two photos through one that left; a photo forgotten for good takes its rows along.
 */
export class NearPairs {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      // Only photos the library still has: a lookup that ran while one was forgotten (its
      // vector still in the store) must not write a pair nothing would ever prune.
      insert: db.prepare(
        `INSERT INTO near_pairs (model_id, a, b, score) SELECT @model, @a, @b, @score
         WHERE EXISTS (SELECT 1 FROM photos WHERE hash = @a) AND EXISTS (SELECT 1 FROM photos WHERE hash = @b)
         ON CONFLICT(model_id, a, b) DO UPDATE SET score = max(score, excluded.score)`,
      ),
      mark: db.prepare(
        `INSERT OR IGNORE INTO near_scanned (model_id, hash) SELECT @model, @hash
         WHERE EXISTS (SELECT 1 FROM photos WHERE hash = @hash)`,
      ),
      unscanned: db
        .prepare(
          `SELECT e.hash FROM embeddings e WHERE e.model_id = ? AND ${IN_LIBRARY('e.hash')}
           AND NOT EXISTS (SELECT 1 FROM near_scanned s WHERE s.model_id = e.model_id AND s.hash = e.hash)
           ORDER BY e.seq`,
        )
        .pluck(),
      pairs: db.prepare(
        `SELECT a, b, score FROM near_pairs WHERE model_id = ? AND score >= ?
         AND ${IN_LIBRARY('a')} AND ${IN_LIBRARY('b')} ORDER BY score DESC`,
      ),
      forgetPairs: db.prepare(
        'DELETE FROM near_pairs WHERE a IN (SELECT value FROM json_each(@list)) OR b IN (SELECT value FROM json_each(@list))',
      ),
      forgetScanned: db.prepare(
        'DELETE FROM near_scanned WHERE hash IN (SELECT value FROM json_each(@list))',
      ),
    };
  }

  /** One photo's neighbours (the pair is stored once, a < b), and that it was looked at. */
  record(modelId: string, hash: string, neighbours: { id: string; score: number }[]): void {
    this.db.transaction(() => {
      for (const n of neighbours) {
        const [a, b] = hash < n.id ? [hash, n.id] : [n.id, hash];
        this.s.insert.run({ model: modelId, a, b, score: n.score });
      }
      this.s.mark.run({ model: modelId, hash });
    })();
  }

  /** Photos of the library with a vector of this model whose neighbours were never looked up. */
  unscanned(modelId: string): string[] {
    return this.s.unscanned.all(modelId) as string[];
  }

  /** Pairs at or above a score whose two photos are both in the library, best first. */
  pairs(modelId: string, minScore: number): { a: string; b: string; score: number }[] {
    return this.s.pairs.all(modelId, minScore) as { a: string; b: string; score: number }[];
  }

  /** Photos gone for good: every pair and scan naming them goes (one pass per table). */
  forget(hashes: string[]): void {
    if (hashes.length === 0) return;
    const list = JSON.stringify(hashes);
    this.db.transaction(() => {
      this.s.forgetPairs.run({ list });
      this.s.forgetScanned.run({ list });
    })();
  }
}
