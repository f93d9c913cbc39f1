// The vector index the app searches: one VectorStore (embedded or Milvus) for the active
// model, kept in step with the embeddings table through an outbox. A row leaves the outbox
// only when the store acknowledged it, so a Milvus that is down means a growing outbox and
// a visible status, never a lost vector. Switching stores fills the new one from SQLite in
// the background; searches use the old one until the new one has everything.
//   store-choice.ts  the configuration and the Milvus token    open-store.ts  the store factory
//   outbox.ts        the outbox table                          drain.ts       outbox draining
//   staging.ts       switching: staging and promotion          status.ts      the status
//   test-store.ts    Settings' connection test
import type { Notifier } from '../../../../shared/events';
import type { VectorStoreStatus } from '../../../../shared/model';
import { type StoreConfig, storeKey } from '../../../../shared/store-config';
import type { ModelManifest } from '../../embed/manifest';
import type { Db } from '../../library/db';
import type { SecretStore } from '../../ports';
import type { Redactor } from '../../redact';
import { type VectorFilter, type VectorHit, VectorStoreError } from '../../vectors/port';
import { OutboxDrain } from './drain';
import { closeStore, type EmbeddedSaving, type OpenStore, openStore } from './open-store';
import { VectorOutbox } from './outbox';
import { reconcile, StoreSlots } from './staging';
import { indexStatus } from './status';
import { StoreChoice } from './store-choice';
import { testStore } from './test-store';

export interface VectorIndexOptions {
  db: Db;
  /** Keeps the Milvus token out of the database (Electron: encrypted by the OS). */
  secrets?: SecretStore;
  /** Learns the Milvus token, so that nothing leaving the core carries it. */
  redactor: Redactor;
  notifier: Notifier;
  /** The data directory's vectors folder. */
  dir: string;
  activeModel: () => ModelManifest | null;
  embedded?: EmbeddedSaving;
  /** Vectors the active store now holds, so a search finds them (look-alikes are looked up then). */
  onSearchable?: (hashes: string[], modelId: string) => void;
}

export class VectorIndex {
  private readonly outbox: VectorOutbox;
  private readonly choice: StoreChoice;
  private readonly slots: StoreSlots;
  private readonly drain: OutboxDrain;
  private lastError: string | null = null;
  /** What the active store said it holds after its last outbox pass. */
  private storedCount: number | null = null;
  private closed = false;
  private opening: Promise<void> | null = null;

  constructor(private readonly opts: VectorIndexOptions) {
    this.outbox = new VectorOutbox(opts.db);
    this.choice = new StoreChoice(opts.db, opts.secrets, opts.redactor);
    this.slots = new StoreSlots(this.outbox);
    this.drain = new OutboxDrain({
      outbox: this.outbox,
      stores: () => this.slots.filling(),
      afterPass: async () => {
        await this.slots.promote();
        if (this.slots.active) this.storedCount = await this.slots.active.store.count();
      },
      onBatch: (store, upserted) => {
        if (store === this.slots.active && upserted.length > 0)
          this.opts.onSearchable?.(upserted, store.model);
        this.emitStatus();
      },
      onPass: (error) => {
        this.lastError = error;
        this.emitStatus();
      },
    });
  }

  config(): StoreConfig {
    return this.choice.current();
  }

  /** Opens the chosen store for the active model and queues whatever it is missing. */
  open(): Promise<void> {
    this.opening ??= this.openNow().finally(() => {
      this.opening = null;
    });
    return this.opening;
  }

  private async openNow(): Promise<void> {
    const model = this.opts.activeModel();
    if (!model || this.closed) return;
    const { active, staging } = this.slots;
    const key = storeKey(this.config());
    // During a switch the chosen store is the one being filled: searches stay on the old one.
    if (active && active.model === model.id && (active.key === key || staging?.key === key)) return;
    this.slots.active = null;
    if (active) await closeStore(active, this.outbox);
    let opened: OpenStore | null = null;
    try {
      opened = await this.openStore(this.config(), model);
      // Active (and 'ready' in its status) only once what it misses is in its outbox.
      await reconcile(opened, this.outbox);
      this.slots.active = opened;
      this.lastError = null;
    } catch (error) {
      if (opened) await closeStore(opened, this.outbox);
      this.lastError = (error as Error).message;
      this.emitStatus();
      // The store stays unavailable until the user fixes it or it comes back: try again later.
      this.retryOpenLater();
      return;
    }
    this.drain.kick();
  }

  /** New vectors (from the embedding pipeline) go to the outbox of every store being filled. */
  enqueue(hashes: string[], modelId: string, op: 'upsert' | 'remove' = 'upsert'): void {
    const keys = this.slots.keysFor(modelId);
    if (keys.length === 0) keys.push(storeKey(this.config()));
    this.outbox.queue(keys, modelId, hashes, op);
    this.drain.kick();
  }

  async search(vector: Float32Array, k: number, filter?: VectorFilter): Promise<VectorHit[]> {
    await this.open();
    const { active } = this.slots;
    if (!active) {
      throw new VectorStoreError(
        'unreachable',
        `The vector index is not available${this.lastError ? `: ${this.lastError}` : ''}. Check the vector store in Settings.`,
      );
    }
    return active.store.search(vector, k, filter);
  }

  status(): VectorStoreStatus {
    return indexStatus(
      {
        config: this.config(),
        model: this.opts.activeModel(),
        slots: this.slots,
        stored: this.storedCount,
        lastError: this.lastError,
      },
      this.outbox,
    );
  }

  /** Tests a configuration without switching to it (Settings' "Test connection"). */
  test(config: StoreConfig): Promise<{ ok: boolean; message: string }> {
    return testStore(config, this.opts.dir, this.choice);
  }

  /**
   * Switches stores: the new one is opened and filled from SQLite (no re-embedding) while
   * searches keep using the old one; it becomes active when its outbox is empty.
   */
  async configure(config: StoreConfig): Promise<VectorStoreStatus> {
    const model = this.opts.activeModel();
    await this.slots.dropStaging();
    if (!model || this.slots.active?.key === storeKey(config)) {
      await this.choice.save(config);
      await this.open();
      return this.status();
    }
    const staging = await this.openStore(config, model);
    await this.slots.stage(staging);
    await this.choice.save(config);
    await reconcile(staging, this.outbox);
    this.drain.kick();
    return this.status();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.drain.stop();
    await this.opening?.catch(() => undefined);
    await this.slots.closeAll();
  }

  private openStore(config: StoreConfig, model: ModelManifest): Promise<OpenStore> {
    return openStore(config, model, {
      dir: this.opts.dir,
      choice: this.choice,
      embedded: this.opts.embedded,
    });
  }

  private retryOpenLater(): void {
    if (this.closed) return;
    setTimeout(() => {
      if (!this.closed && !this.slots.active) void this.open();
    }, 5_000).unref();
  }

  private emitStatus(): void {
    if (this.closed) return;
    this.opts.notifier.emit('vectors:status', this.status());
  }
}
