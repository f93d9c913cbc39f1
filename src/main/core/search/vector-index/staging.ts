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
    if (staging) await closeStore(staging, this.outbox);
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
    for (const s of [this.staging, this.active]) if (s) await closeStore(s, this.outbox);
    this.active = this.staging = null;
  }
}

/**
 * At open, the store is put in step with SQLite by ids, not counts (a crash after N removals
 * and N additions leaves the count right and the ids wrong): what it misses is queued for
 * writing, what it holds that SQLite does not is queued for removal. Writes it acknowledged
 * before a crash but may not have saved are sent again (writes are idempotent).
 */
export async function reconcile(s: OpenStore, outbox: VectorOutbox): Promise<void> {
  outbox.resend(s.key, s.model);
  const extra = new Set(await s.store.ids());
  if (extra.size === 0) {
    outbox.queueEverything(s.key, s.model);
    return;
  }
  const missing: string[] = [];
  for (const hash of outbox.expectedIds(s.model)) if (!extra.delete(hash)) missing.push(hash);
  if (missing.length > 0) outbox.queue([s.key], s.model, missing, 'upsert');
  if (extra.size > 0) outbox.queue([s.key], s.model, [...extra], 'remove');
}
