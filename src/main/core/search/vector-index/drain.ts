import type { OpenStore } from './open-store';
import type { OutboxRow, VectorOutbox } from './outbox';

const BATCH = 256;
/** While a store holds writes it has not saved, how often to ask whether it has. */
const DURABLE_CHECK_MS = 1_000;

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
 * doubles up to 30 s. Rows a store acknowledged but has not saved yet (the embedded store
 * saves on a timer) stay until it says they are durable: a pass is due every second until then.
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
    let unsaved = false;
    try {
      for (const s of this.o.stores()) {
        while (!this.stopped && (await this.batch(s)) > 0) this.o.onBatch();
        if (!this.stopped && (await this.confirmDurable(s)) > 0) unsaved = true;
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
    else if (unsaved) this.kick(DURABLE_CHECK_MS);
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
    try {
      if (items.length > 0) await s.store.upsert(items);
      if (removes.length + missing.length > 0) await s.store.remove([...removes, ...missing]);
    } catch (error) {
      outbox.failed(
        s.key,
        s.model,
        rows.map((r) => r.hash),
        (error as Error).message,
      );
      throw error;
    }
    await this.acknowledged(s, rows);
    return rows.length;
  }

  /**
   * Acknowledged: a store that saves later gets the rows marked with its write number (they
   * leave once that write is durable); a store that is durable at once sees them leave now.
   * Either way only rows not queued again meanwhile.
   */
  private async acknowledged(s: OpenStore, rows: OutboxRow[]): Promise<void> {
    if (!s.store.writeMarks) {
      this.o.outbox.acknowledged(s.key, s.model, rows);
      return;
    }
    const marks = await s.store.writeMarks();
    this.o.outbox.sent(s.key, s.model, rows, marks.acknowledged);
    this.o.outbox.durable(s.key, s.model, marks.durable);
  }

  /** Rows the store has saved since leave; returns how many still wait for a save. */
  private async confirmDurable(s: OpenStore): Promise<number> {
    if (!s.store.writeMarks || this.o.outbox.unsaved(s.key, s.model) === 0) return 0;
    this.o.outbox.durable(s.key, s.model, (await s.store.writeMarks()).durable);
    return this.o.outbox.unsaved(s.key, s.model);
  }
}
