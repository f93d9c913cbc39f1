// The vector index the app searches: one VectorStore (embedded or Milvus) for the active
// model, kept in step with the embeddings table through an outbox. A row leaves the outbox
// only when the store acknowledged it, so a Milvus that is down means a growing outbox and
// a visible status, never a lost vector. Switching stores fills the new one from SQLite in
// the background; searches use the old one until the new one has everything.
import { join } from 'node:path';
import type { Notifier } from '../../../shared/events';
import type { VectorStoreStatus } from '../../../shared/model';
import { type StoreConfig, storeKey } from '../../../shared/store-config';
import { blobToVector } from '../embed/embed-jobs';
import type { ModelManifest } from '../embed/manifest';
import type { Db } from '../library/db';
import { SettingsStore } from '../library/settings';
import type { SecretStore } from '../ports';
import { openEmbeddedStoreInWorker } from '../vectors/embedded';
import { openMilvusStore, testConnection } from '../vectors/milvus';
import { type MilvusLiteServer, startMilvusLite } from '../vectors/milvus-lite';
import type { VectorFilter, VectorHit, VectorItem, VectorStore } from '../vectors/port';

const TOKEN_SECRET = 'milvus-token';
const BATCH = 256;

interface OpenStore {
  config: StoreConfig;
  key: string;
  model: string;
  store: VectorStore;
  lite: MilvusLiteServer | null;
}

export interface VectorIndexOptions {
  db: Db;
  /** Keeps the Milvus token out of the database (Electron: encrypted by the OS). */
  secrets?: SecretStore;
  notifier: Notifier;
  /** The data directory's vectors folder. */
  dir: string;
  activeModel: () => ModelManifest | null;
}

export class VectorIndex {
  private active: OpenStore | null = null;
  private staging: OpenStore | null = null;
  private draining = false;
  private drainTimer: NodeJS.Timeout | null = null;
  private backoffMs = 0;
  private lastError: string | null = null;
  /** What the active store said it holds after its last drain. */
  private storedCount: number | null = null;
  private closed = false;
  private opening: Promise<void> | null = null;
  private readonly settings: SettingsStore;

  constructor(private readonly opts: VectorIndexOptions) {
    this.settings = new SettingsStore(opts.db);
  }

  config(): StoreConfig {
    return this.settings.get('vectors.store') ?? { kind: 'embedded' };
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
    if (this.active && this.active.model === model.id && this.active.key === storeKey(this.config())) return;
    const previous = this.active;
    this.active = null;
    if (previous) await closeStore(previous);
    let opened: OpenStore | null = null;
    try {
      opened = await this.openStore(this.config(), model);
      // Active (and 'ready' in its status) only once what it misses is in its outbox.
      await this.reconcile(opened);
      this.active = opened;
      this.lastError = null;
    } catch (error) {
      if (opened) await closeStore(opened);
      this.lastError = (error as Error).message;
      this.emitStatus();
      // The store stays unavailable until the user fixes it or it comes back: try again later.
      this.retryOpenLater();
      return;
    }
    this.kick();
  }

  /** New vectors (from the embedding pipeline) go to the outbox of every store being filled. */
  enqueue(hashes: string[], modelId: string, op: 'upsert' | 'remove' = 'upsert'): void {
    const keys = [this.active, this.staging]
      .filter((s): s is OpenStore => s?.model === modelId)
      .map((s) => s.key);
    if (keys.length === 0) keys.push(storeKey(this.config()));
    const insert = this.opts.db.prepare(
      `INSERT INTO vector_outbox (store, model_id, hash, op, queued_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(store, model_id, hash) DO UPDATE SET op = excluded.op, queued_at = excluded.queued_at`,
    );
    const now = Date.now();
    this.opts.db.transaction(() => {
      for (const key of keys) for (const h of hashes) insert.run(key, modelId, h, op, now);
    })();
    this.kick();
  }

  async search(vector: Float32Array, k: number, filter?: VectorFilter): Promise<VectorHit[]> {
    await this.open();
    if (!this.active) {
      throw new Error(
        `The vector index is not available${this.lastError ? `: ${this.lastError}` : ''}. Check the vector store in Settings.`,
      );
    }
    return this.active.store.search(vector, k, filter);
  }

  status(): VectorStoreStatus {
    const config = this.config();
    const model = this.opts.activeModel();
    const key = this.staging?.key ?? this.active?.key ?? storeKey(config);
    return {
      kind: config.kind,
      location: describeLocation(config, this.active),
      model: model?.id ?? null,
      dimension: model?.output.dim ?? null,
      stored: this.storedCount,
      expected: model ? this.expectedCount(model.id) : 0,
      outbox: model ? this.outboxCount(key, model.id) : 0,
      state: this.lastError ? 'error' : this.staging ? 'switching' : this.active ? 'ready' : 'closed',
      error: this.lastError,
      switchingTo: this.staging ? this.staging.config.kind : null,
    };
  }

  /** Tests a configuration without switching to it (Settings' "Test connection"). */
  async test(config: StoreConfig): Promise<{ ok: boolean; message: string }> {
    if (config.kind === 'embedded') return { ok: true, message: 'The embedded store needs no connection.' };
    if (config.kind === 'milvus-lite') {
      const dir = join(this.opts.dir, 'milvus-lite-test');
      try {
        const lite = await startMilvusLite({ dataDir: dir, binaryPath: config.binaryPath });
        await lite.stop();
        return { ok: true, message: 'Milvus Lite starts on this computer.' };
      } catch (error) {
        return { ok: false, message: (error as Error).message };
      }
    }
    const result = await testConnection({
      uri: config.uri,
      token: config.token,
      tls: config.tls,
      timeoutMs: 5000,
    });
    return result.ok
      ? { ok: true, message: `Connected to Milvus ${result.serverVersion ?? ''}`.trim() }
      : { ok: false, message: result.error?.message ?? 'The connection failed.' };
  }

  /**
   * Switches stores: the new one is opened and filled from SQLite (no re-embedding) while
   * searches keep using the old one; it becomes active when its outbox is empty.
   */
  async configure(config: StoreConfig): Promise<VectorStoreStatus> {
    const model = this.opts.activeModel();
    const key = storeKey(config);
    if (this.staging) {
      await closeStore(this.staging);
      this.staging = null;
    }
    if (!model || (this.active && this.active.key === key)) {
      await this.saveConfig(config);
      await this.open();
      return this.status();
    }
    const staging = await this.openStore(config, model);
    this.staging = staging;
    await this.saveConfig(config);
    await this.reconcile(staging);
    this.kick();
    return this.status();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.drainTimer) clearTimeout(this.drainTimer);
    await this.opening?.catch(() => undefined);
    for (const s of [this.staging, this.active]) if (s) await closeStore(s);
    this.active = this.staging = null;
  }

  private async openStore(config: StoreConfig, model: ModelManifest): Promise<OpenStore> {
    const key = storeKey(config);
    const base = { config, key, model: model.id };
    if (config.kind === 'embedded') {
      // In its own thread: adding to the HNSW graph and saving it would stall the window's requests.
      const store = await openEmbeddedStoreInWorker({
        dir: join(this.opts.dir, 'embedded', model.id),
        model: model.id,
        dimension: model.output.dim,
      });
      return { ...base, store, lite: null };
    }
    let lite: MilvusLiteServer | null = null;
    let connection =
      config.kind === 'milvus'
        ? {
            uri: config.uri,
            token: config.token || ((await this.opts.secrets?.get(TOKEN_SECRET)) ?? undefined),
            tls: config.tls,
          }
        : null;
    if (config.kind === 'milvus-lite') {
      lite = await startMilvusLite({
        dataDir: join(this.opts.dir, 'milvus-lite'),
        binaryPath: config.binaryPath,
      });
      connection = { uri: lite.uri, token: undefined, tls: false };
    }
    try {
      const store = await openMilvusStore({
        connection: connection!,
        model: model.id,
        dimension: model.output.dim,
      });
      return { ...base, store, lite };
    } catch (error) {
      await lite?.stop();
      throw error;
    }
  }

  /** At open: if the store's count disagrees with SQLite, queue every vector it should hold. */
  private async reconcile(s: OpenStore): Promise<void> {
    const have = await s.store.count();
    if (have === this.expectedCount(s.model) && this.outboxCount(s.key, s.model) === 0) return;
    // Upserts are idempotent, so queueing every vector is safe; a store holding extra
    // vectors (photos since forgotten) is harmless: results are checked against SQLite.
    this.opts.db
      .prepare(
        `INSERT INTO vector_outbox (store, model_id, hash, op, queued_at)
         SELECT ?, model_id, hash, 'upsert', ? FROM embeddings WHERE model_id = ?
         ON CONFLICT(store, model_id, hash) DO NOTHING`,
      )
      .run(s.key, Date.now(), s.model);
  }

  private kick(delayMs = 0): void {
    if (this.closed || this.draining || this.drainTimer) return;
    this.drainTimer = setTimeout(() => {
      this.drainTimer = null;
      void this.drain();
    }, delayMs);
  }

  private async drain(): Promise<void> {
    if (this.draining || this.closed) return;
    this.draining = true;
    try {
      for (const s of [this.staging, this.active]) {
        if (!s) continue;
        while (!this.closed && (await this.drainBatch(s)) > 0) {}
      }
      this.backoffMs = 0;
      this.lastError = null;
      if (this.staging) await this.promoteStaging();
      if (this.active) this.storedCount = await this.active.store.count();
    } catch (error) {
      this.lastError = (error as Error).message;
      this.backoffMs = Math.min(30_000, Math.max(1_000, this.backoffMs * 2));
    } finally {
      this.draining = false;
      this.emitStatus();
    }
    if (this.lastError) this.kick(this.backoffMs);
  }

  private async drainBatch(s: OpenStore): Promise<number> {
    const rows = this.opts.db
      .prepare(
        'SELECT hash, op FROM vector_outbox WHERE store = ? AND model_id = ? ORDER BY queued_at, hash LIMIT ?',
      )
      .all(s.key, s.model, BATCH) as { hash: string; op: 'upsert' | 'remove' }[];
    if (rows.length === 0) return 0;
    const removes = rows.filter((r) => r.op === 'remove').map((r) => r.hash);
    const items = this.items(
      s.model,
      rows.filter((r) => r.op === 'upsert').map((r) => r.hash),
    );
    const missing = rows
      .filter((r) => r.op === 'upsert' && !items.some((i) => i.id === r.hash))
      .map((r) => r.hash);
    try {
      if (items.length > 0) await s.store.upsert(items);
      if (removes.length + missing.length > 0) await s.store.remove([...removes, ...missing]);
    } catch (error) {
      const mark = this.opts.db.prepare(
        'UPDATE vector_outbox SET attempts = attempts + 1, last_error = ? WHERE store = ? AND model_id = ? AND hash = ?',
      );
      this.opts.db.transaction(() => {
        for (const r of rows) mark.run((error as Error).message, s.key, s.model, r.hash);
      })();
      throw error;
    }
    // Acknowledged: only now do the rows leave the outbox (unless re-queued meanwhile).
    const done = this.opts.db.prepare(
      'DELETE FROM vector_outbox WHERE store = ? AND model_id = ? AND hash = ? AND queued_at <= ?',
    );
    const now = Date.now();
    this.opts.db.transaction(() => {
      for (const r of rows) done.run(s.key, s.model, r.hash, now);
    })();
    this.emitStatus();
    return rows.length;
  }

  /** Vectors with what filters need: the folders holding the photo and its date. */
  private items(modelId: string, hashes: string[]): VectorItem[] {
    if (hashes.length === 0) return [];
    const stmt = this.opts.db.prepare(
      `SELECT e.vector, coalesce(p.taken_at, min(f.sort_date)) AS taken,
              group_concat(DISTINCT f.folder_id) AS folders
       FROM embeddings e JOIN photos p ON p.hash = e.hash
       LEFT JOIN files f ON f.hash = e.hash AND f.status = 'ok'
       WHERE e.hash = ? AND e.model_id = ? GROUP BY e.hash`,
    );
    const out: VectorItem[] = [];
    for (const hash of hashes) {
      const row = stmt.get(hash, modelId) as
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

  private async promoteStaging(): Promise<void> {
    const staging = this.staging;
    if (!staging) return;
    if (this.outboxCount(staging.key, staging.model) > 0) return;
    const old = this.active;
    this.active = staging;
    this.staging = null;
    if (old) {
      this.opts.db.prepare('DELETE FROM vector_outbox WHERE store = ?').run(old.key);
      await closeStore(old);
    }
  }

  /** Vectors SQLite holds for a model: what a store of that model should hold. */
  private expectedCount(modelId: string): number {
    return this.opts.db
      .prepare('SELECT count(*) FROM embeddings WHERE model_id = ?')
      .pluck()
      .get(modelId) as number;
  }

  /** Writes still waiting for a store. */
  private outboxCount(key: string, modelId: string): number {
    return this.opts.db
      .prepare('SELECT count(*) FROM vector_outbox WHERE store = ? AND model_id = ?')
      .pluck()
      .get(key, modelId) as number;
  }

  private async saveConfig(config: StoreConfig): Promise<void> {
    if (config.kind === 'milvus' && this.opts.secrets) {
      await this.opts.secrets.set(TOKEN_SECRET, config.token || null);
      config = { kind: 'milvus', uri: config.uri, ...(config.tls === undefined ? {} : { tls: config.tls }) };
    }
    this.settings.set('vectors.store', config);
  }

  private retryOpenLater(): void {
    if (this.closed) return;
    setTimeout(() => {
      if (!this.closed && !this.active) void this.open();
    }, 5_000).unref();
  }

  private emitStatus(): void {
    if (this.closed) return;
    this.opts.notifier.emit('vectors:status', this.status());
  }
}

async function closeStore(s: OpenStore, stopLite = true): Promise<void> {
  await s.store.close().catch(() => undefined);
  if (stopLite) await s.lite?.stop().catch(() => undefined);
}

function describeLocation(config: StoreConfig, active: OpenStore | null): string {
  if (config.kind === 'milvus') return config.uri;
  if (config.kind === 'milvus-lite')
    return active?.lite ? `Milvus Lite at ${active.lite.uri}` : 'Milvus Lite';
  return 'Embedded (in the data folder)';
}
