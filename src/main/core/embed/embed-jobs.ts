// The embedding pipeline: durable 'embed' jobs (one per photo and model) fed to the worker
// pool in batches, vectors written to SQLite keyed by (content hash, model). The main thread
// only moves file paths (or the model's input made from ingest's one decode, see
// model-inputs.ts) and finished vectors; decoding and inference happen in the workers.
import type { Notifier } from '../../../shared/events';
import type { EmbeddingModel } from '../../../shared/model';
import { ModelRequestError } from '../errors';
import { type JobOf, jobs, Priority } from '../jobs/kinds';
import type { JobOutcome, JobQueue } from '../jobs/queue';
import { isTransient } from '../jobs/transient';
import type { Db } from '../library/db';
import { SettingsStore } from '../library/settings';
import { realFileInside } from '../media';
import { EmbeddingRows } from './embedding-rows';
import { findModelFile, importTypes, listModels, type ModelManifest } from './manifest';
import { ModelInputs } from './model-inputs';
import { EmbedderPool, planThreads } from './pool';

/** How far back a sweep after a library change looks before the previous sweep began. */
const SWEEP_OVERLAP_MS = 1000;

/** What the pipeline knows of a model; the model handlers add the state of getting it. */
export type EmbeddingModelInfo = Omit<EmbeddingModel, 'localCopy' | 'download'>;

export interface EmbeddingPipelineOptions {
  db: Db;
  queue: JobQueue;
  notifier: Notifier;
  /** Where manifests live (resources/models). */
  manifestDir: string;
  /** Where model files are looked for, first match wins (user models folder, then bundled). */
  modelDirs: string[];
  /** The worker entry (the Electron shell passes its bundled file). */
  workerUrl?: URL;
  /** Photos per queue batch; the pool splits them further for the model. */
  batchSize?: number;
}

/** The manifests and where each available model's file is. */
interface ModelCatalog {
  manifests: ModelManifest[];
  files: Map<string, string>;
}

export class EmbeddingPipeline {
  private pool: Promise<EmbedderPool> | null = null;
  private poolModel: string | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  /** When the last sweep began: the next sweep after a library change looks at files written since. */
  private sweptAt = 0;
  private sweepEverything = false;
  private closed = false;
  private readonly settings: SettingsStore;
  private readonly rows: EmbeddingRows;
  private known: ModelCatalog | null = null;
  /** undefined: not worked out since the last change. */
  private active: ModelManifest | null | undefined = undefined;
  /** Hears every stored vector: the vector index outbox subscribes here. */
  onStored: ((hashes: string[], modelId: string) => void) | null = null;
  /** Model inputs made from new photos' one decode at ingest, waiting for their job. */
  readonly inputs = new ModelInputs(() => this.activeModel());
  /** Photos embedded from ingest's decode (`shared`) or decoded again from the file (`again`). */
  readonly decodes = { shared: 0, again: 0 };

  constructor(private readonly opts: EmbeddingPipelineOptions) {
    this.settings = new SettingsStore(opts.db);
    this.rows = new EmbeddingRows(opts.db);
    opts.queue.registerBatch(
      'embed',
      // Two batches in flight keep every worker fed while the other batch is being stored.
      { label: 'Indexing photos', batchSize: opts.batchSize ?? 32, concurrency: 2 },
      (batch) => this.run(batch),
    );
  }

  manifests(): ModelManifest[] {
    return this.catalog().manifests;
  }

  /** The chosen model if its file is here; else the recommended one (ResNet-50) if it is; else the first available. */
  activeModel(): ModelManifest | null {
    if (this.active === undefined) {
      const all = this.manifests().filter((m) => this.modelFile(m));
      const chosen = this.settings.get('embed.model');
      this.active = all.find((m) => m.id === chosen) ?? all.find((m) => m.recommended) ?? all[0] ?? null;
    }
    return this.active;
  }

  /**
   * Reads the manifests and looks for the model files again: after a model was imported or
   * downloaded. Until then both are read once, not on each of the many activeModel() calls.
   */
  refreshModels(): void {
    this.known = null;
    this.active = undefined;
  }

  models(): EmbeddingModelInfo[] {
    const active = this.activeModel();
    const counts = this.rows.counts();
    return this.manifests().map((m) => ({
      id: m.id,
      displayName: m.displayName,
      description: m.description ?? null,
      dimension: m.output.dim,
      available: this.modelFile(m) !== undefined,
      active: m.id === active?.id,
      source: m.source.kind,
      embedded: counts.get(m.id) ?? 0,
      recommended: m.recommended,
      downloadBytes: m.source.kind === 'download' ? (m.source.size ?? null) : null,
      license: m.source.kind === 'download' ? (m.source.license ?? null) : null,
      importTypes: importTypes(m),
    }));
  }

  /** The first-run suggestion of the recommended model: once read, it stays away. */
  suggestionDismissed(): boolean {
    return this.settings.get('embed.suggestion-dismissed') === true;
  }

  dismissSuggestion(): void {
    this.settings.set('embed.suggestion-dismissed', true);
  }

  /** Switches models: photos are re-embedded in the background; the old vectors stay, unmixed. */
  async useModel(id: string): Promise<void> {
    this.refreshModels(); // the file may have been put there by hand
    const m = this.manifests().find((x) => x.id === id);
    if (!m) throw new ModelRequestError(`There is no model "${id}". Choose one listed in Settings.`);
    if (!this.modelFile(m)) {
      throw new ModelRequestError(
        `The model file for ${m.displayName} is not on this computer yet: download or import it first.`,
      );
    }
    this.settings.set('embed.model', id);
    this.active = undefined;
    this.inputs.clear();
    this.opts.queue.cancel('embed');
    await this.closePool();
    this.sweep();
  }

  threads(): { workers: number; threadsPerWorker: number } {
    const saved = this.settings.get('embed.threads');
    return saved === undefined ? planThreads() : planThreads(saved);
  }

  async setThreads(cpuThreads: number): Promise<void> {
    this.settings.set('embed.threads', cpuThreads);
    await this.closePool();
  }

  /**
   * Queues every photo of the library that has no vector from the active model yet; with
   * `changedOnly`, only photos whose files were written since the last sweep began.
   */
  sweep(priority: number = Priority.backlog, changedOnly = false): number {
    const model = this.activeModel();
    if (!model || this.closed) return 0;
    const started = Date.now();
    // A little overlap: a clock stepped back a moment must not hide a file from every sweep.
    const since = changedOnly ? this.sweptAt - SWEEP_OVERLAP_MS : undefined;
    const missing = this.rows.missing(model.id, since);
    this.opts.queue.enqueueMany(
      missing.map((hash) => ({ ...jobs.embed(hash, model.id), priority })),
      { onlyNew: true },
    );
    this.sweptAt = started;
    return missing.length;
  }

  /**
   * A new photo's vector, queued as it arrives (its model input is usually ready in `inputs`),
   * so vectors come in the order photos do and the prepared inputs are used while they are kept.
   */
  embedNew(hash: string, priority: number = Priority.newFile): void {
    const model = this.activeModel();
    if (!model || this.closed) return;
    this.opts.queue.enqueueMany([{ ...jobs.embed(hash, model.id), priority }], { onlyNew: true });
  }

  /**
   * A sweep soon, coalesced so a big scan costs a few sweeps. After a library change it looks
   * only at the files written since the last sweep; `everything` (a folder scanned, or back
   * online: its photos may have been skipped while unreadable) looks at the whole library.
   */
  scheduleSweep(everything = false): void {
    this.sweepEverything ||= everything;
    if (this.sweepTimer || this.closed) return;
    this.sweepTimer = setTimeout(() => {
      this.sweepTimer = null;
      const changedOnly = !this.sweepEverything;
      this.sweepEverything = false;
      try {
        this.sweep(Priority.newFile, changedOnly);
      } catch {
        this.sweepEverything ||= !changedOnly;
        // The database cannot be written now (a full disk): the queue says so; sweep again later.
        if (this.closed) return;
        this.sweepTimer = setTimeout(() => {
          this.sweepTimer = null;
          this.scheduleSweep();
        }, 5000);
      }
    }, 500);
  }

  /**
   * Photos the user is looking at get their vectors first: a waiting job jumps the queue,
   * and one that is missing (cancelled earlier) is queued again.
   */
  prioritise(hashes: string[]): void {
    const model = this.activeModel();
    if (!model) return;
    const missing = hashes.filter((h) => !this.vector(h, model.id) && !this.failure(h, model.id));
    this.opts.queue.enqueueMany(
      missing.map((hash) => ({ ...jobs.embed(hash, model.id), priority: Priority.visible })),
    );
  }

  /** Why a photo could not be indexed by a model, if it could not. */
  failure(hash: string, modelId: string): string | null {
    return this.opts.queue.failure(jobs.embed(hash, modelId));
  }

  /** Drops every model's vectors of photos that left the library; returns the models touched. */
  forget(hashes: string[]): string[] {
    return this.rows.forget(hashes);
  }

  cancel(): number {
    return this.opts.queue.cancel('embed');
  }

  vector(hash: string, modelId: string): Float32Array | null {
    return this.vectors([hash], modelId).get(hash) ?? null;
  }

  /** Stored vectors of several photos (those that have one). */
  vectors(hashes: string[], modelId: string): Map<string, Float32Array> {
    return this.rows.vectors(hashes, modelId);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    await this.closePool();
  }

  private async run(batch: JobOf<'embed'>[]): Promise<JobOutcome[]> {
    const model = this.activeModel();
    const outcomes: JobOutcome[] = batch.map(() => ({ status: 'skipped', reason: 'The model changed.' }));
    if (!model) return outcomes;
    const items: { index: number; hash: string; path: string; source: string; rgb?: Uint8Array }[] = [];
    for (const [index, job] of batch.entries()) {
      if (job.payload.model !== model.id) continue;
      const copy = this.rows.readableCopy(job.payload.hash);
      // The workers read the real path, and only one inside its watched folder (decision 0024).
      const source = copy && (await realFileInside(copy.root, copy.path, { watched: true }));
      if (!copy || !source) {
        outcomes[index] = { status: 'skipped', reason: 'No readable copy of this photo right now.' };
        continue;
      }
      items.push({
        index,
        hash: job.payload.hash,
        path: copy.path,
        source,
        rgb: this.inputs.take(job.payload.hash, model.id),
      });
    }
    if (items.length === 0) return outcomes;

    const pool = await this.openPool(model);
    for (const it of items) this.decodes[it.rgb ? 'shared' : 'again']++;
    const results = await pool.embed(
      items.map(({ hash, source, rgb }) => (rgb ? { hash, path: source, rgb } : { hash, path: source })),
    );
    const vectors: { hash: string; vector: Float32Array }[] = [];
    const failures: { path: string; reason: string }[] = [];
    results.forEach((r, i) => {
      const item = items[i]!;
      if (r.ok) {
        vectors.push({ hash: r.hash, vector: r.vector });
        outcomes[item.index] = { status: 'done' };
      } else {
        const reason = `Could not index this photo: ${r.error}`;
        // Not the photo's fault (the pool was restarted, a worker stopped): the queue tries it
        // again, and it is no problem of the photo's.
        if (!isTransient(r.error)) failures.push({ path: item.path, reason });
        outcomes[item.index] = { status: 'failed', reason };
      }
    });
    this.rows.record(model.id, vectors, failures);
    const stored = vectors.map((v) => v.hash);
    results.forEach((r, i) => {
      if (!r.ok && !isTransient(r.error))
        this.opts.notifier.emit('activity:problem', {
          path: items[i]!.path,
          kind: 'embedding',
          reason: r.error,
        });
    });
    if (stored.length > 0) this.onStored?.(stored, model.id);
    return outcomes;
  }

  private openPool(model: ModelManifest): Promise<EmbedderPool> {
    if (this.pool && this.poolModel === model.id) return this.pool;
    const modelPath = this.modelFile(model);
    if (!modelPath) return Promise.reject(new Error(`The model file for ${model.displayName} is missing.`));
    const threads = this.threads();
    this.poolModel = model.id;
    this.pool = EmbedderPool.open({
      manifest: model,
      modelPath,
      workers: threads.workers,
      threadsPerWorker: threads.threadsPerWorker,
      workerUrl: this.opts.workerUrl,
    });
    this.pool.catch(() => {
      this.pool = null;
      this.poolModel = null;
    });
    return this.pool;
  }

  private async closePool(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    this.poolModel = null;
    if (pool) await (await pool.catch(() => null))?.close();
  }

  private modelFile(m: ModelManifest): string | undefined {
    return this.catalog().files.get(m.id);
  }

  private catalog(): ModelCatalog {
    if (!this.known) {
      const manifests = listModels(this.opts.manifestDir);
      const files = new Map<string, string>();
      for (const m of manifests) {
        const file = findModelFile(m, this.opts.modelDirs);
        if (file) files.set(m.id, file);
      }
      this.known = { manifests, files };
    }
    return this.known;
  }
}
