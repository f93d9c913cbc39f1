import {
  checkItems,
  checkQuery,
  type ManagedVectorStore,
  type VectorFilter,
  type VectorHit,
  type VectorItem,
  type VectorStoreDescription,
  VectorStoreError,
} from '../port';
import { MilvusCaller, versionProblem } from './client';
import {
  type CollectionState,
  createCollection,
  inspectCollection,
  MAX_FOLDERS_PER_PHOTO,
} from './collection';
import type { MilvusConnection } from './config';
import { milvusError } from './errors';
import { filterExpression, NO_DATE, quote } from './expressions';
import { collectionNameFor } from './naming';

export interface MilvusStoreOptions {
  connection: MilvusConnection;
  model: string;
  dimension: number;
  /** Collection name prefix; one collection per model is named from it. */
  collectionPrefix?: string;
  /**
   * Strong (default) makes a search see every acknowledged write, which the outbox and the
   * start-up reconciliation rely on; Bounded is faster on a busy cluster.
   */
  consistency?: 'Strong' | 'Bounded' | 'Session' | 'Eventually';
  /** Ids listed per query when the index compares the store with SQLite (default 10,000). */
  idsPerPage?: number;
}

/** Milvus caps topk at 16384. */
const MAX_K = 16_384;
const MAX_ROWS_PER_BATCH = 1_000;
const IDS_PER_PAGE = 10_000;
/** Keep each insert request well under gRPC/proxy message limits (64 MB on most servers). */
const MAX_BYTES_PER_BATCH = 16 << 20;

export class MilvusVectorStore implements ManagedVectorStore {
  readonly collection: string;
  private state: CollectionState = { exists: false, indexType: null };
  private serverVersion = 'unknown';
  private readonly consistency: NonNullable<MilvusStoreOptions['consistency']>;

  constructor(
    private readonly caller: MilvusCaller,
    private readonly options: MilvusStoreOptions,
  ) {
    this.collection = collectionNameFor(options.model, options.collectionPrefix);
    this.consistency = options.consistency ?? 'Strong';
  }

  /** Checks the server and finds the model's collection (created on first upsert). */
  async open(): Promise<void> {
    this.serverVersion = await this.caller.serverVersion();
    const problem = versionProblem(this.serverVersion);
    if (problem) throw milvusError('version', 'be used', this.caller.where, problem);
    this.state = await inspectCollection(this.caller, this.collection, this.options.dimension);
  }

  private async ensureCollection(): Promise<void> {
    if (this.state.exists) return;
    this.state = await inspectCollection(this.caller, this.collection, this.options.dimension);
    if (!this.state.exists) {
      this.state = await createCollection(
        this.caller,
        this.collection,
        this.options.model,
        this.options.dimension,
      );
    }
  }

  async upsert(items: VectorItem[]): Promise<void> {
    checkItems(items, this.options.dimension);
    const latest = [...new Map(items.map((item) => [item.id, item])).values()];
    if (latest.length === 0) return;
    for (const item of latest) {
      if (item.folderIds.length > MAX_FOLDERS_PER_PHOTO) {
        throw new VectorStoreError(
          'invalid',
          `Photo ${item.id} is in ${item.folderIds.length} folders; the Milvus store keeps at most ${MAX_FOLDERS_PER_PHOTO}.`,
        );
      }
    }
    await this.ensureCollection();
    const rowBytes = this.options.dimension * 4 + 200 + MAX_FOLDERS_PER_PHOTO * 8;
    const perBatch = Math.max(1, Math.min(MAX_ROWS_PER_BATCH, Math.floor(MAX_BYTES_PER_BATCH / rowBytes)));
    for (let start = 0; start < latest.length; start += perBatch) {
      const rows = latest.slice(start, start + perBatch).map((item) => ({
        id: item.id,
        vector: Array.from(item.vector),
        folder_ids: item.folderIds.map((f) => Math.trunc(f)),
        taken_at: item.takenAt === null ? NO_DATE : Math.trunc(item.takenAt),
      }));
      const response = await this.caller.call('save vectors', (c) =>
        c.upsert({ collection_name: this.collection, data: rows }),
      );
      const refused = response.err_index ?? [];
      if (refused.length > 0) {
        throw milvusError(
          'server',
          'save vectors',
          this.caller.where,
          `${refused.length} of ${rows.length} rows were refused`,
        );
      }
    }
  }

  async remove(ids: string[]): Promise<void> {
    if (ids.length === 0 || !this.state.exists) return;
    for (let start = 0; start < ids.length; start += MAX_ROWS_PER_BATCH) {
      const batch = ids.slice(start, start + MAX_ROWS_PER_BATCH);
      await this.caller.call('delete vectors', (c) =>
        c.delete({ collection_name: this.collection, filter: `id in [${batch.map(quote).join(', ')}]` }),
      );
    }
  }

  async search(vector: Float32Array, k: number, filter?: VectorFilter): Promise<VectorHit[]> {
    checkQuery(vector, k, this.options.dimension);
    const expression = filterExpression(filter);
    if (expression === null || !this.state.exists) return [];
    const limit = Math.min(k, MAX_K);
    const response = await this.caller.call('search vectors', (c) =>
      c.search({
        collection_name: this.collection,
        data: Array.from(vector),
        limit,
        filter: expression,
        output_fields: ['id'],
        metric_type: 'COSINE',
        consistency_level: this.consistency as never,
        ...(this.state.indexType === 'HNSW' ? { params: { ef: Math.max(64, limit) } } : {}),
      }),
    );
    const results = (response as { results: { id: string; score: number }[] }).results ?? [];
    return results.map((r) => ({ id: String(r.id), score: r.score })).sort((a, b) => b.score - a.score);
  }

  async count(): Promise<number> {
    if (!this.state.exists) return 0;
    const response = await this.caller.call('count vectors', (c) =>
      c.query({
        collection_name: this.collection,
        filter: '',
        output_fields: ['count(*)'],
        consistency_level: this.consistency as never,
      }),
    );
    return Number((response as { data: Record<string, unknown>[] }).data?.[0]?.['count(*)'] ?? 0);
  }

  /**
   * Every id, a page at a time by primary key (a query with a limit returns the lowest keys
   * that match, which is how the SDK's own query iterator pages).
   */
  async ids(): Promise<string[]> {
    if (!this.state.exists) return [];
    const out: string[] = [];
    const perPage = this.options.idsPerPage ?? IDS_PER_PAGE;
    let after = '';
    for (;;) {
      const response = await this.caller.call('list vector ids', (c) =>
        c.query({
          collection_name: this.collection,
          filter: `id > ${quote(after)}`,
          output_fields: ['id'],
          limit: perPage,
          consistency_level: this.consistency as never,
        }),
      );
      const page = (response.data ?? []).map((r) => String(r.id)).sort();
      out.push(...page);
      if (page.length < perPage) return out;
      after = page[page.length - 1]!;
    }
  }

  async drop(): Promise<void> {
    await this.caller.call('drop the vector collection', (c) =>
      c.dropCollection({ collection_name: this.collection }),
    );
    this.state = { exists: false, indexType: null };
  }

  async describe(): Promise<VectorStoreDescription> {
    return {
      kind: 'milvus',
      model: this.options.model,
      dimension: this.options.dimension,
      count: await this.count(),
      location: `${this.caller.where} (collection ${this.collection})`,
      collection: this.collection,
      indexType: this.state.indexType,
      serverVersion: this.serverVersion,
    };
  }

  async close(): Promise<void> {
    await this.caller.close();
  }
}

/** Connects, checks the server version and finds the model's collection. */
export async function openMilvusStore(options: MilvusStoreOptions): Promise<MilvusVectorStore> {
  const caller = new MilvusCaller(options.connection);
  const store = new MilvusVectorStore(caller, options);
  try {
    await store.open();
  } catch (error) {
    await caller.close();
    throw error;
  }
  return store;
}
