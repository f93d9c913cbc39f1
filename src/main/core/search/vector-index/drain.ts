import type { OpenStore } from './open-store';
import type { VectorOutbox } from './outbox';

const BATCH = 256;

export interface OutboxDrainOptions {
  outbox: VectorOutbox;
  /** The stores to fill, in order (a store being switched to first). */
  stores: () => OpenStore[];
  /** After every store's outbox went empty: promote a filled store, count what the active one holds. */
  afterPass: () => Promise<void>;
  /** A batch was delivered. */
  onBatch: () => void;
  /** A pass ended: null when everything was delivered, else why not (it is tried again later). */
  onPass: (error: string | null) => void;
}

/**
 * Sends each store its outbox, batch by batch, one pass at a time. A store that refuses (a
 * Milvus that is down) keeps its rows, and the pass is tried again after a backoff that
 * doubles up to 30 s.
 */
export class OutboxDrain {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private stopped = false;
  private backoffMs = 0;

  constructor(private readonly o: OutboxDrainOptions) {}

  /** A pass soon, unless one is running or already due. */
  kick(delayMs = 0): void {
    if (this.stopped || this.running || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.pass();
    }, delayMs);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private async pass(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    let error: string | null = null;
    try {
      for (const s of this.o.stores()) {
        while (!this.stopped && (await this.batch(s)) > 0) this.o.onBatch();
      }
      this.backoffMs = 0;
      await this.o.afterPass();
    } catch (e) {
      error = (e as Error).message;
      this.backoffMs = Math.min(30_000, Math.max(1_000, this.backoffMs * 2));
    } finally {
      this.running = false;
      this.o.onPass(error);
    }
    if (error) this.kick(this.backoffMs);
  }

  /** One batch to one store; returns how many rows it took (0: that store is in step). */
  private async batch(s: OpenStore): Promise<number> {
    const { outbox } = this.o;
    const rows = outbox.next(s.key, s.model, BATCH);
    if (rows.length === 0) return 0;
    const removes = rows.filter((r) => r.op === 'remove').map((r) => r.hash);
    const upserts = rows.filter((r) => r.op === 'upsert').map((r) => r.hash);
    const items = outbox.items(s.model, upserts);
    // A vector SQLite no longer has (its photo was forgotten meanwhile) leaves the store too.
    const missing = upserts.filter((h) => !items.some((i) => i.id === h));
    const hashes = rows.map((r) => r.hash);
    try {
      if (items.length > 0) await s.store.upsert(items);
      if (removes.length + missing.length > 0) await s.store.remove([...removes, ...missing]);
    } catch (error) {
      outbox.failed(s.key, s.model, hashes, (error as Error).message);
      throw error;
    }
    // Acknowledged: only now do the rows leave the outbox (unless re-queued meanwhile).
    outbox.acknowledged(s.key, s.model, hashes, Date.now());
    return rows.length;
  }
}
