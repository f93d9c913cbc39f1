import { blobToVector } from '../../embed/embedding-rows';
import type { Db } from '../../library/db';
import type { VectorItem } from '../../vectors/port';

export interface OutboxRow {
  hash: string;
  op: 'upsert' | 'remove';
  /** How often the row was queued: a row queued again meanwhile is a new write. */
  version: number;
}

/**
 * The vector_outbox table: writes waiting for a store, keyed by (store, model, photo). A row
 * is sent, then leaves only once the store made the write durable (Milvus: when it
 * acknowledged it; the embedded store: when a save committed it), and only if it was not
 * queued again meanwhile. Also what a store of a model should hold: SQLite's embeddings.
 */
export class VectorOutbox {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      queue: db.prepare(
        `INSERT INTO vector_outbox (store, model_id, hash, op, queued_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(store, model_id, hash) DO UPDATE SET op = excluded.op, queued_at = excluded.queued_at,
           version = vector_outbox.version + 1, sent_seq = NULL`,
      ),
      queueEverything: db.prepare(
        `INSERT INTO vector_outbox (store, model_id, hash, op, queued_at)
         SELECT ?, model_id, hash, 'upsert', ? FROM embeddings WHERE model_id = ?
         ON CONFLICT(store, model_id, hash) DO NOTHING`,
      ),
      next: db.prepare(
        `SELECT hash, op, version FROM vector_outbox WHERE store = ? AND model_id = ? AND sent_seq IS NULL
         ORDER BY queued_at, hash LIMIT ?`,
      ),
      failed: db.prepare(
        'UPDATE vector_outbox SET attempts = attempts + 1, last_error = ? WHERE store = ? AND model_id = ? AND hash = ?',
      ),
      done: db.prepare(
        'DELETE FROM vector_outbox WHERE store = ? AND model_id = ? AND hash = ? AND version = ?',
      ),
      sent: db.prepare(
        'UPDATE vector_outbox SET sent_seq = ? WHERE store = ? AND model_id = ? AND hash = ? AND version = ?',
      ),
      durable: db.prepare(
        'DELETE FROM vector_outbox WHERE store = ? AND model_id = ? AND sent_seq IS NOT NULL AND sent_seq <= ?',
      ),
      resend: db.prepare(
        'UPDATE vector_outbox SET sent_seq = NULL WHERE store = ? AND model_id = ? AND sent_seq IS NOT NULL',
      ),
      dropStore: db.prepare('DELETE FROM vector_outbox WHERE store = ?'),
      waiting: db
        .prepare('SELECT count(*) FROM vector_outbox WHERE store = ? AND model_id = ? AND sent_seq IS NULL')
        .pluck(),
      unsaved: db
        .prepare(
          'SELECT count(*) FROM vector_outbox WHERE store = ? AND model_id = ? AND sent_seq IS NOT NULL',
        )
        .pluck(),
      expected: db.prepare('SELECT count(*) FROM embeddings WHERE model_id = ?').pluck(),
      expectedIds: db.prepare('SELECT hash FROM embeddings WHERE model_id = ?').pluck(),
      item: db.prepare(
        `SELECT e.vector, coalesce(p.taken_at, min(f.sort_date)) AS taken,
                group_concat(DISTINCT f.folder_id) AS folders
         FROM embeddings e JOIN photos p ON p.hash = e.hash
         LEFT JOIN files f ON f.hash = e.hash AND f.status = 'ok'
         WHERE e.hash = ? AND e.model_id = ? GROUP BY e.hash`,
      ),
    };
  }

  /** Queues writes for each store key (a store being filled gets them too). */
  queue(keys: string[], modelId: string, hashes: string[], op: 'upsert' | 'remove'): void {
    const now = Date.now();
    this.db.transaction(() => {
      for (const key of keys) for (const h of hashes) this.s.queue.run(key, modelId, h, op, now);
    })();
  }

  /** Queues every vector of a model for a store (upserts are idempotent, so this is always safe). */
  queueEverything(key: string, modelId: string): void {
    this.s.queueEverything.run(key, Date.now(), modelId);
  }

  next(key: string, modelId: string, limit: number): OutboxRow[] {
    return this.s.next.all(key, modelId, limit) as OutboxRow[];
  }

  /** The store refused these: they stay, with the attempt and the reason counted. */
  failed(key: string, modelId: string, hashes: string[], reason: string): void {
    this.db.transaction(() => {
      for (const h of hashes) this.s.failed.run(reason, key, modelId, h);
    })();
  }

  /** The store made these durable as it acknowledged them (rows queued again meanwhile stay). */
  acknowledged(key: string, modelId: string, rows: OutboxRow[]): void {
    this.db.transaction(() => {
      for (const r of rows) this.s.done.run(key, modelId, r.hash, r.version);
    })();
  }

  /** The store acknowledged these as its write number `seq`; they go once that write is durable. */
  sent(key: string, modelId: string, rows: OutboxRow[], seq: number): void {
    this.db.transaction(() => {
      for (const r of rows) this.s.sent.run(seq, key, modelId, r.hash, r.version);
    })();
  }

  /** The store says its writes up to `seq` are durable: their rows leave. */
  durable(key: string, modelId: string, seq: number): void {
    this.s.durable.run(key, modelId, seq);
  }

  /**
   * Sent rows are sent again: at open, what a store acknowledged before a crash may not be
   * on disk (writes are idempotent, so sending again is always safe).
   */
  resend(key: string, modelId: string): void {
    this.s.resend.run(key, modelId);
  }

  /** A store left behind by a switch: what it still waited for is dropped. */
  dropStore(key: string): void {
    this.s.dropStore.run(key);
  }

  /** Writes still waiting for a store. */
  waiting(key: string, modelId: string): number {
    return this.s.waiting.get(key, modelId) as number;
  }

  /** Writes the store acknowledged and has not made durable yet. */
  unsaved(key: string, modelId: string): number {
    return this.s.unsaved.get(key, modelId) as number;
  }

  /** The photos SQLite holds a vector of a model for. */
  expectedIds(modelId: string): string[] {
    return this.s.expectedIds.all(modelId) as string[];
  }

  /** Vectors SQLite holds for a model: what a store of that model should hold. */
  expected(modelId: string): number {
    return this.s.expected.get(modelId) as number;
  }

  /** Vectors with what filters need: the folders holding the photo and its date. */
  items(modelId: string, hashes: string[]): VectorItem[] {
    const out: VectorItem[] = [];
    for (const hash of hashes) {
      const row = this.s.item.get(hash, modelId) as
        | { vector: Buffer; taken: number | null; folders: string | null }
        | undefined;
      if (!row) continue;
      out.push({
        id: hash,
        vector: blobToVector(row.vector),
        folderIds: row.folders ? row.folders.split(',').map(Number) : [],
        takenAt: row.taken,
      });
    }
    return out;
  }
}
