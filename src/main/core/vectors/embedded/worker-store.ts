import { Worker } from 'node:worker_threads';
import { resolveWorkerEntry } from '../../worker-entry';
import {
  type ManagedVectorStore,
  type VectorFilter,
  type VectorHit,
  type VectorItem,
  type VectorStoreDescription,
  VectorStoreError,
  type WriteMarks,
} from '../port';
import type { IndexHealth } from './sidecar';
import type { EmbeddedStoreOptions } from './store';
import type { StoreMethod, StoreReply } from './worker-protocol';

/** Where the worker's entry is: the built `vector-store-worker.js`, or from source a tsx bootstrap. */
export function resolveVectorStoreWorker(): URL {
  return resolveWorkerEntry(
    {
      built: 'vector-store-worker.js',
      dev: 'store-worker-dev.mjs',
      source: 'src/main/core/vectors/embedded/store-worker.ts',
    },
    import.meta.url,
  );
}

/**
 * The embedded store run in a worker thread: same behaviour and files as
 * EmbeddedVectorStore, but adding, searching and saving happen off the calling thread.
 * Vectors are copied to the worker (8 KB per 2048-d vector), which is cheap next to HNSW work.
 */
export class WorkerEmbeddedStore implements ManagedVectorStore {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private failure: VectorStoreError | null = null;
  private closed = false;

  private constructor(
    private readonly worker: Worker,
    readonly health: IndexHealth,
    private readonly dir: string,
  ) {
    worker.on('message', (reply: StoreReply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiting.resolve(reply.value);
      else waiting.reject(new VectorStoreError(reply.error.kind ?? 'server', reply.error.message));
    });
    const stop = (why: string) => {
      this.failure ??= new VectorStoreError(
        'server',
        `The vector index worker for ${dir} stopped (${why}). Restart Komorebi; the index is rebuilt from the library if needed.`,
      );
      for (const waiting of this.pending.values()) waiting.reject(this.failure);
      this.pending.clear();
    };
    worker.on('error', (error) => stop(error.message));
    worker.on('exit', (code) => stop(`exit code ${code}`));
  }

  static async open(
    options: EmbeddedStoreOptions,
    workerUrl = resolveVectorStoreWorker(),
  ): Promise<WorkerEmbeddedStore> {
    const worker = new Worker(workerUrl, { workerData: options });
    type Hello = { ready: boolean; health?: IndexHealth; error?: { kind?: string; message: string } };
    const first = await new Promise<Hello>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    }).catch((error: Error): Hello => ({ ready: false, error: { kind: 'server', message: error.message } }));
    if (!first.ready) {
      await worker.terminate();
      throw new VectorStoreError(
        (first.error?.kind as VectorStoreError['kind']) ?? 'server',
        first.error?.message ?? 'The vector index worker did not start.',
      );
    }
    return new WorkerEmbeddedStore(worker, first.health!, options.dir);
  }

  private call<T>(method: StoreMethod, ...args: unknown[]): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, method, args });
    });
  }

  upsert(items: VectorItem[]): Promise<void> {
    return this.call('upsert', items);
  }
  remove(ids: string[]): Promise<void> {
    return this.call('remove', ids);
  }
  search(vector: Float32Array, k: number, filter?: VectorFilter): Promise<VectorHit[]> {
    return this.call('search', vector, k, filter);
  }
  count(): Promise<number> {
    return this.call('count');
  }
  ids(): Promise<string[]> {
    return this.call('ids');
  }
  writeMarks(): Promise<WriteMarks> {
    return this.call('writeMarks');
  }
  drop(): Promise<void> {
    return this.call('drop');
  }
  describe(): Promise<VectorStoreDescription> {
    return this.call('describe');
  }
  flush(): Promise<void> {
    return this.call('flush');
  }
  setSyncMarker(marker: string | null): Promise<void> {
    return this.call('setSyncMarker', marker);
  }

  /** Saves and stops the worker; rejects when the worker had died (what it held unsaved is lost). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.call('close');
    } finally {
      this.failure = new VectorStoreError('invalid', `The vector index in ${this.dir} is closed.`);
      await this.worker.terminate();
    }
  }
}

/** Opens the embedded store in its own worker thread (recommended in the app). */
export function openEmbeddedStoreInWorker(options: EmbeddedStoreOptions): Promise<WorkerEmbeddedStore> {
  return WorkerEmbeddedStore.open(options);
}
