import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import usearch from 'usearch';
import {
  checkItems,
  checkQuery,
  type ManagedVectorStore,
  type VectorFilter,
  type VectorHit,
  type VectorItem,
  type VectorStoreDescription,
  VectorStoreError,
  type WriteMarks,
} from '../port';
import { type EntriesFile, SlotTable } from './entries';
import { type EmbeddedStoreOptions, GRAPH_DEFAULTS } from './options';

export { type EmbeddedStoreOptions, GRAPH_DEFAULTS } from './options';

import { saveAtomic, writeFileAtomic } from './files';
import { compileFilter, exactScan, matchingSlots } from './filtering';
import { graphSearch, normalise } from './graph-search';
import {
  GRAPH_QUANTIZATION,
  type IndexHealth,
  readSidecar,
  SIDECAR_FILE,
  type Sidecar,
  VECTORS_FILE,
  writeSidecar,
} from './sidecar';
import { VectorFile } from './vector-file';

type UsearchIndex = InstanceType<typeof usearch.Index>;

/** The search list for a library of `live` photos: `base` up to 100,000, then x2 per 10x. */
export { searchListSize } from './graph-search';

const FILE_PATTERN = /^vectors\.(\d+\.usearch|\d+\.entries\.json|json|f16)(\.\d+\.tmp)?$/;

/**
 * The default vector store: a usearch HNSW graph (cosine, 8-bit vectors) in process, whose
 * candidates are rescored from the f16 copy in vectors.f16; persisted to the given
 * directory. See docs/decisions/0003-embedded-vector-store.md.
 */
export class EmbeddedVectorStore implements ManagedVectorStore {
  readonly health: IndexHealth;
  private index!: UsearchIndex;
  private table = new SlotTable();
  private file!: VectorFile;
  private generation = 0;
  private syncMarker: string | null = null;
  private dirtySince: number | null = null;
  /** Writes acknowledged so far, and how many of them the last save made durable. */
  private writes = 0;
  private savedWrites = 0;
  private timer: NodeJS.Timeout | null = null;
  private lastSaveError: string | null = null;
  /** How long the last save blocked, to space saves out as the index grows. */
  private lastSaveMs = 0;
  private closed = false;
  private readonly o: Required<EmbeddedStoreOptions>;

  constructor(options: EmbeddedStoreOptions) {
    this.o = {
      ...GRAPH_DEFAULTS,
      saveDelayMs: 2_000,
      maxSaveDelayMs: 30_000,
      threads: 1,
      exactScanLimit: 2_000,
      oversampleLimit: 4_096,
      ...options,
    };
    if (!Number.isInteger(this.o.dimension) || this.o.dimension < 1) {
      throw new VectorStoreError(
        'invalid',
        `The vector dimension must be a positive integer (got ${this.o.dimension}).`,
      );
    }
    mkdirSync(this.o.dir, { recursive: true });
    this.health = this.load();
  }

  private newIndex(): UsearchIndex {
    return new usearch.Index({
      metric: usearch.MetricKind.Cos,
      quantization: usearch.ScalarKind.I8,
      dimensions: this.o.dimension,
      connectivity: this.o.connectivity,
      expansion_add: this.o.expansionAdd,
      expansion_search: this.o.expansionSearch,
      multi: false,
    });
  }

  /** Opens the saved generation, or starts empty (and says why) when it cannot be used. */
  private load(): IndexHealth {
    const { sidecar, problem } = readSidecar(this.o.dir);
    let health: IndexHealth;
    if (problem) health = { state: 'corrupt', reason: problem };
    else if (!sidecar) health = { state: 'missing' };
    else if (sidecar.model !== this.o.model || sidecar.dimension !== this.o.dimension) {
      health = { state: 'other-model', found: { model: sidecar.model, dimension: sidecar.dimension } };
    } else if (sidecar.quantization !== GRAPH_QUANTIZATION) {
      health = { state: 'old-format', found: String(sidecar.quantization) };
    } else {
      try {
        this.openGeneration(sidecar);
        return { state: 'ready' };
      } catch (error) {
        health = { state: 'corrupt', reason: (error as Error).message };
      }
    }
    // Nothing usable: clear the old files so a new generation never mixes with them.
    this.removeFiles();
    this.index = this.newIndex();
    this.table = new SlotTable();
    this.file = new VectorFile(join(this.o.dir, VECTORS_FILE), this.o.dimension, 0);
    return health;
  }

  private openGeneration(sidecar: Sidecar): void {
    const entries = JSON.parse(readFileSync(join(this.o.dir, sidecar.entriesFile), 'utf8')) as EntriesFile;
    const table = SlotTable.from(entries, sidecar.slots);
    const index = this.newIndex();
    if (sidecar.count > 0) index.load(join(this.o.dir, sidecar.indexFile));
    if (index.size() !== sidecar.count || table.live !== sidecar.count) {
      throw new Error(
        `index holds ${index.size()} vectors and ${table.live} entries, expected ${sidecar.count}`,
      );
    }
    const vectorsPath = join(this.o.dir, VECTORS_FILE);
    if (!existsSync(vectorsPath)) throw new Error(`${vectorsPath} is missing`);
    this.file = new VectorFile(vectorsPath, this.o.dimension, sidecar.slots);
    this.index = index;
    this.table = table;
    this.generation = sidecar.generation;
    this.syncMarker = sidecar.syncMarker;
  }

  private removeFiles(keep: string[] = []): void {
    if (!existsSync(this.o.dir)) return;
    for (const name of readdirSync(this.o.dir)) {
      if (FILE_PATTERN.test(name) && !keep.includes(name)) rmSync(join(this.o.dir, name), { force: true });
    }
  }

  private ensureOpen(): void {
    if (this.closed) throw new VectorStoreError('invalid', `The vector index in ${this.o.dir} is closed.`);
  }

  async upsert(items: VectorItem[]): Promise<void> {
    this.ensureOpen();
    checkItems(items, this.o.dimension);
    // The last occurrence of an id in a batch wins, as in a database upsert.
    const latest = new Map(items.map((item) => [item.id, item]));
    if (latest.size === 0) return;
    const keys: bigint[] = [];
    const vectors: Float32Array[] = [];
    try {
      for (const item of latest.values()) {
        const old = this.table.release(item.id);
        if (old !== undefined) this.index.remove(BigInt(old));
        const normalised = normalise(item.vector);
        const slot = this.table.append(item.id, item.folderIds, item.takenAt);
        this.file.write(slot, normalised);
        keys.push(BigInt(slot));
        vectors.push(normalised);
      }
      this.index.add(BigUint64Array.from(keys), vectors, this.o.threads);
    } catch (error) {
      throw new VectorStoreError(
        'server',
        `Could not add vectors to the index in ${this.o.dir}: ${(error as Error).message}. Check free disk space; the index will be rebuilt from the library if needed.`,
        { cause: error },
      );
    }
    this.changed();
  }

  async remove(ids: string[]): Promise<void> {
    this.ensureOpen();
    const keys: bigint[] = [];
    for (const id of ids) {
      const slot = this.table.release(id);
      if (slot !== undefined) keys.push(BigInt(slot));
    }
    if (keys.length === 0) {
      this.writes++; // nothing to save: durable at once
      return;
    }
    this.index.remove(BigUint64Array.from(keys));
    this.changed();
  }

  async ids(): Promise<string[]> {
    this.ensureOpen();
    return [...this.table.slotOf.keys()];
  }

  /** Every write is acknowledged when upsert/remove returns; durable once a save committed it. */
  async writeMarks(): Promise<WriteMarks> {
    return { acknowledged: this.writes, durable: this.dirtySince === null ? this.writes : this.savedWrites };
  }

  async search(vector: Float32Array, k: number, filter?: VectorFilter): Promise<VectorHit[]> {
    this.ensureOpen();
    checkQuery(vector, k, this.o.dimension);
    const live = this.table.live;
    if (live === 0) return [];
    const query = normalise(vector);
    const slotFilter = compileFilter(filter, this.table);
    if (!slotFilter) return this.graphSearch(query, Math.min(k, live), () => true, k);
    if (slotFilter.excludeOnly) {
      // Excluded photos can take at most `excluded` places in the candidate list.
      return this.graphSearch(query, Math.min(k + slotFilter.excluded, live), slotFilter.accepts, k);
    }
    const candidates = matchingSlots(slotFilter, this.table);
    if (candidates.length === 0) return [];
    if (candidates.length <= this.o.exactScanLimit)
      return exactScan(query, candidates, k, this.table, this.file);
    // Fetch enough HNSW candidates that about 2k of them should pass the filter.
    const wanted = Math.ceil(((k * live) / candidates.length) * 2) + slotFilter.excluded;
    if (wanted <= this.o.oversampleLimit) {
      const hits = this.graphSearch(query, Math.min(wanted, live), slotFilter.accepts, k);
      if (hits.length >= Math.min(k, candidates.length)) return hits;
    }
    return exactScan(query, candidates, k, this.table, this.file);
  }

  private graphSearch(
    query: Float32Array,
    fetch: number,
    accepts: (slot: number) => boolean,
    k: number,
  ): VectorHit[] {
    return graphSearch({ index: this.index, table: this.table, file: this.file, options: this.o }, query, {
      fetch,
      accepts,
      k,
    });
  }

  async count(): Promise<number> {
    this.ensureOpen();
    return this.table.live;
  }

  /** Records which SQLite row the index is synced up to; saved with the next save. */
  setSyncMarker(marker: string | null): void {
    this.ensureOpen();
    if (marker === this.syncMarker) return;
    this.syncMarker = marker;
    this.changed();
  }

  async drop(): Promise<void> {
    this.ensureOpen();
    this.cancelTimer();
    this.file.close();
    this.removeFiles();
    this.index = this.newIndex();
    this.table = new SlotTable();
    this.file = new VectorFile(join(this.o.dir, VECTORS_FILE), this.o.dimension, 0);
    this.syncMarker = null;
    this.generation = 0;
    this.dirtySince = null;
  }

  async describe(): Promise<VectorStoreDescription> {
    return {
      kind: 'embedded',
      model: this.o.model,
      dimension: this.o.dimension,
      count: this.table.live,
      location: this.o.dir,
      syncMarker: this.syncMarker,
      engine: 'usearch HNSW (cosine, 8-bit graph, f16 rescoring)',
      health: this.health.state,
      slots: this.table.slots,
      unsavedChanges: this.dirtySince !== null,
      lastSaveError: this.lastSaveError,
    };
  }

  /** Saves now if anything changed (what the debounce timer does). */
  async flush(): Promise<void> {
    this.ensureOpen();
    this.save();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      this.save();
    } finally {
      this.closed = true;
      this.cancelTimer();
      this.file.close();
    }
  }

  private changed(): void {
    this.writes++;
    const now = Date.now();
    this.dirtySince ??= now;
    this.cancelTimer();
    // A save blocks the thread (about 2 s per 100k 2048-d vectors), so never spend more
    // than about 5% of the time saving: big indexes are saved less often.
    const idle = Math.max(this.o.saveDelayMs, 5 * this.lastSaveMs);
    const cap = Math.max(this.o.maxSaveDelayMs, 20 * this.lastSaveMs);
    const delay = Math.max(0, Math.min(idle, this.dirtySince + cap - now));
    this.timer = setTimeout(() => {
      this.timer = null;
      try {
        this.save();
      } catch {
        // Kept in lastSaveError for the status view; the next change or close retries.
      }
    }, delay);
    this.timer.unref();
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** One atomic generation: data files first, then the sidecar rename commits them. */
  private save(): void {
    if (this.dirtySince === null) return;
    this.cancelTimer();
    const generation = this.generation + 1;
    const sidecar: Sidecar = {
      format: 1,
      engine: 'usearch-hnsw',
      model: this.o.model,
      dimension: this.o.dimension,
      quantization: GRAPH_QUANTIZATION,
      metric: 'cos',
      connectivity: this.o.connectivity,
      count: this.table.live,
      slots: this.table.slots,
      generation,
      indexFile: `vectors.${generation}.usearch`,
      entriesFile: `vectors.${generation}.entries.json`,
      syncMarker: this.syncMarker,
      savedAt: new Date().toISOString(),
    };
    const started = Date.now();
    const through = this.writes;
    try {
      this.file.sync();
      if (sidecar.count > 0) saveAtomic(join(this.o.dir, sidecar.indexFile), (path) => this.index.save(path));
      writeFileAtomic(join(this.o.dir, sidecar.entriesFile), JSON.stringify(this.table.toFile()));
      writeSidecar(this.o.dir, sidecar);
    } catch (error) {
      this.lastSaveError = `Could not save the vector index in ${this.o.dir}: ${(error as Error).message}`;
      throw new VectorStoreError('server', `${this.lastSaveError}. Check free disk space and permissions.`, {
        cause: error,
      });
    }
    this.lastSaveMs = Date.now() - started;
    this.savedWrites = through;
    this.generation = generation;
    this.dirtySince = null;
    this.lastSaveError = null;
    this.removeFiles([SIDECAR_FILE, VECTORS_FILE, sidecar.indexFile, sidecar.entriesFile]);
  }
}

/** Opens (or creates) the embedded store; check `store.health` to know whether to refill it. */
export async function openEmbeddedStore(options: EmbeddedStoreOptions): Promise<EmbeddedVectorStore> {
  return new EmbeddedVectorStore(options);
}
