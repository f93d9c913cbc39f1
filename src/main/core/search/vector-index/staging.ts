import { closeStore, type OpenStore } from './open-store';
import type { VectorOutbox } from './outbox';

/**
 * The store searches use (active) and, after a switch, the one being filled (staging). The
 * new store is filled from SQLite, no re-embedding, while searches keep using the old one;
 * it takes over once its outbox is empty, and the old one is closed, with what it still
 * waited for dropped.
 */
export class StoreSlots {
  active: OpenStore | null = null;
  staging: OpenStore | null = null;

  constructor(private readonly outbox: VectorOutbox) {}

  /** Outbox keys of the open stores of a model (empty when none is open). */
  keysFor(modelId: string): string[] {
    return [this.active, this.staging].filter((s): s is OpenStore => s?.model === modelId).map((s) => s.key);
  }

  /** The stores an outbox pass fills: the one being switched to first. */
  filling(): OpenStore[] {
    return [this.staging, this.active].filter((s): s is OpenStore => s !== null);
  }

  /** A store to fill in the background, replacing one still being filled. */
  async stage(store: OpenStore): Promise<void> {
    await this.dropStaging();
    this.staging = store;
  }

  async dropStaging(): Promise<void> {
    const staging = this.staging;
    this.staging = null;
    if (staging) await closeStore(staging);
  }

  /** The staging store becomes active once it holds everything. */
  async promote(): Promise<void> {
    const staging = this.staging;
    if (!staging || this.outbox.waiting(staging.key, staging.model) > 0) return;
    const old = this.active;
    this.active = staging;
    this.staging = null;
    if (old) {
      this.outbox.dropStore(old.key);
      await closeStore(old);
    }
  }

  async closeAll(): Promise<void> {
    for (const s of [this.staging, this.active]) if (s) await closeStore(s);
    this.active = this.staging = null;
  }
}

/**
 * At open: a store whose count disagrees with SQLite gets every vector it should hold
 * queued. Upserts are idempotent, so that is safe; a store holding extra vectors (photos
 * since forgotten) is harmless: results are checked against SQLite.
 */
export async function queueWhatItMisses(s: OpenStore, outbox: VectorOutbox): Promise<void> {
  const have = await s.store.count();
  if (have === outbox.expected(s.model) && outbox.waiting(s.key, s.model) === 0) return;
  outbox.queueEverything(s.key, s.model);
}
