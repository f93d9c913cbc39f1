// EmbedderPool: N worker threads, each with its own onnxruntime session of T intra-op threads.
// Photos are cut into batches; each worker gets up to two batches at a time so it decodes the next
// while the model runs on the current one. A photo that cannot be read fails alone (a per-item
// error result); a worker that dies fails only its in-flight photos and is replaced.
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ModelManifest } from './manifest';
import type { EmbedItem, EmbedResult, FromWorker, ToWorker, WorkerInit } from './protocol';
import { resolveEmbedWorker } from './worker-url';

export type { EmbedItem, EmbedResult } from './protocol';

export interface EmbedderPoolOptions {
  manifest: ModelManifest;
  modelPath: string;
  /** Worker threads (default: see planThreads). */
  workers?: number;
  /** onnxruntime intra-op threads per worker (default: see planThreads). */
  threadsPerWorker?: number;
  /** Photos per model call (default 8: past that, throughput on CPU stops growing). */
  batchSize?: number;
  /** The worker entry; the Electron shell passes its bundled file. Default: resolveEmbedWorker(). */
  workerUrl?: URL;
}

/**
 * Splits `cores` between workers and intra-op threads. Several one-thread sessions match one
 * many-thread session in speed and keep decoding and inference overlapped in every worker, but
 * each worker holds its own copy of the model, so above four workers threads grow instead.
 */
export function planThreads(cores = os.availableParallelism()): {
  workers: number;
  threadsPerWorker: number;
} {
  const workers = Math.max(1, Math.min(cores, 4));
  return { workers, threadsPerWorker: Math.max(1, Math.floor(cores / workers)) };
}

/**
 * The batch size that cuts `n` photos into a multiple of `workers` batches of at most `max`:
 * the last photos of a first index, or the few a user just dropped in, go to every worker
 * instead of one batch of eight to one worker while the others wait (9 photos on 2 workers: 5 + 4).
 * Smaller batches cost the model nothing measurable on CPU (ResNet-50 on one thread, 2026-12-01:
 * 113, 119 and 118 ms per photo at batches of 1, 8 and 16).
 */
export function evenBatchSize(n: number, max: number, workers: number): number {
  const batches = workers * Math.ceil(n / (max * workers));
  return Math.max(1, Math.ceil(n / Math.max(1, batches)));
}

interface Batch {
  id: number;
  items: EmbedItem[];
  deliver: (results: EmbedResult[]) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  inFlight: Map<number, Batch>;
  exited: Promise<void>;
}

/** How long a closing worker may take to finish its batches before it is ended by force. */
const CLOSE_GRACE_MS = 60_000;

const IN_FLIGHT_PER_WORKER = 2;

export class EmbedderPool {
  readonly workers: number;
  readonly threadsPerWorker: number;
  readonly batchSize: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Batch[] = [];
  private nextBatchId = 1;
  private closed = false;
  private fatal: Error | undefined;
  private readonly workerUrl: URL;
  private readonly init: WorkerInit;

  private constructor(opts: EmbedderPoolOptions) {
    const plan = planThreads();
    this.workers = opts.workers ?? plan.workers;
    this.threadsPerWorker = opts.threadsPerWorker ?? plan.threadsPerWorker;
    this.batchSize = opts.batchSize ?? 8;
    if (this.workers < 1 || this.threadsPerWorker < 1 || this.batchSize < 1) {
      throw new Error('Embedding needs at least one worker, one thread and a batch size of one.');
    }
    this.workerUrl = opts.workerUrl ?? resolveEmbedWorker();
    this.init = { manifest: opts.manifest, modelPath: opts.modelPath, intraOpThreads: this.threadsPerWorker };
  }

  /** Starts the workers and waits until every one has loaded the model (rejects if it cannot). */
  static async open(opts: EmbedderPoolOptions): Promise<EmbedderPool> {
    const pool = new EmbedderPool(opts);
    try {
      await Promise.all(Array.from({ length: pool.workers }, () => pool.spawn()));
    } catch (e) {
      await pool.close();
      throw e;
    }
    return pool;
  }

  /** Embeds `items`; `onResult` hears each photo as soon as its batch is done. */
  embed(items: EmbedItem[], onResult?: (r: EmbedResult) => void): Promise<EmbedResult[]> {
    if (this.closed) return Promise.reject(new Error('The embedding pool is closed.'));
    if (this.fatal) return Promise.reject(this.fatal);
    const out: EmbedResult[] = new Array(items.length);
    let remaining = items.length;
    return new Promise((resolve) => {
      if (remaining === 0) return resolve(out);
      const size = evenBatchSize(items.length, this.batchSize, this.workers);
      for (let i = 0; i < items.length; i += size) {
        const chunk = items.slice(i, i + size);
        this.queue.push({
          id: this.nextBatchId++,
          items: chunk,
          deliver: (results) => {
            results.forEach((r, k) => {
              out[i + k] = r;
              onResult?.(r);
            });
            remaining -= results.length;
            if (remaining === 0) resolve(out);
          },
        });
      }
      this.dispatch();
    });
  }

  /**
   * Streams results for any (async) iterable of photos, reading it a chunk at a time so a whole
   * library never sits in memory; the next chunk is already embedding while one is yielded.
   */
  async *stream(source: Iterable<EmbedItem> | AsyncIterable<EmbedItem>): AsyncGenerator<EmbedResult> {
    const chunkSize = this.batchSize * this.workers * IN_FLIGHT_PER_WORKER;
    let pending: Promise<EmbedResult[]> | undefined;
    let chunk: EmbedItem[] = [];
    for await (const item of source) {
      chunk.push(item);
      if (chunk.length < chunkSize) continue;
      const started = this.embed(chunk);
      chunk = [];
      if (pending) yield* await pending;
      pending = started;
    }
    const last = chunk.length > 0 ? this.embed(chunk) : undefined;
    if (pending) yield* await pending;
    if (last) yield* await last;
  }

  /**
   * Stops every worker: photos still queued get an error result; the batches a worker already
   * has are finished and delivered first. A worker is ended by force only if it does not stop
   * within CLOSE_GRACE_MS (terminating one inside onnxruntime can abort the process).
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const failed = (b: Batch) =>
      b.deliver(b.items.map((it) => ({ ...it, ok: false, error: 'Embedding was stopped.' })));
    for (const b of this.queue.splice(0)) failed(b);
    const slots = this.slots.splice(0);
    await Promise.all(
      slots.map(async (s) => {
        s.worker.postMessage({ type: 'close' } satisfies ToWorker);
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<'late'>((r) => {
          timer = setTimeout(() => r('late'), CLOSE_GRACE_MS);
        });
        if ((await Promise.race([s.exited, late])) === 'late') await s.worker.terminate();
        clearTimeout(timer);
        for (const b of s.inFlight.values()) failed(b);
      }),
    );
  }

  private spawn(): Promise<void> {
    const worker = new Worker(this.workerUrl, { workerData: this.init });
    const exited = new Promise<void>((r) => worker.once('exit', () => r()));
    const slot: Slot = { worker, ready: false, inFlight: new Map(), exited };
    this.slots.push(slot);
    return new Promise((resolve, reject) => {
      worker.on('message', (msg: FromWorker) => {
        if (msg.type === 'ready') {
          slot.ready = true;
          resolve();
          this.dispatch();
        } else if (msg.type === 'init-failed') {
          reject(new Error(msg.message));
          void worker.terminate();
        } else if (msg.type === 'batch-done') {
          const batch = slot.inFlight.get(msg.batchId);
          slot.inFlight.delete(msg.batchId);
          batch?.deliver(msg.results);
          this.dispatch();
        }
      });
      worker.on('error', (e) => this.onWorkerGone(slot, e, reject));
      worker.on('exit', (code) => this.onWorkerGone(slot, new Error(`exit code ${code}`), reject));
    });
  }

  private onWorkerGone(slot: Slot, cause: Error, rejectStart: (e: Error) => void): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return; // already handled (error is followed by exit) or closed
    this.slots.splice(i, 1);
    const message = `The embedding worker stopped (${cause.message}).`;
    for (const b of slot.inFlight.values())
      b.deliver(b.items.map((it) => ({ ...it, ok: false, error: message })));
    if (!slot.ready) {
      rejectStart(new Error(message));
      return;
    }
    if (this.closed) return;
    // A worker that loaded the model once can load it again: replace it.
    this.spawn().catch((e: Error) => this.fail(e));
  }

  /** A replacement worker could not start; with none left, fail everything waiting and all new work. */
  private fail(e: Error): void {
    if (this.slots.length > 0) return;
    this.fatal = e;
    for (const b of this.queue.splice(0))
      b.deliver(b.items.map((it) => ({ ...it, ok: false, error: e.message })));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      // The least busy worker first, so a few batches go to different workers, not all to the first.
      let slot: Slot | undefined;
      for (const s of this.slots) {
        if (
          s.ready &&
          s.inFlight.size < IN_FLIGHT_PER_WORKER &&
          (!slot || s.inFlight.size < slot.inFlight.size)
        )
          slot = s;
      }
      if (!slot) return;
      const batch = this.queue.shift()!;
      slot.inFlight.set(batch.id, batch);
      // Prepared pixels move to the worker (transferred, not copied).
      const transfer = batch.items.flatMap((it) => (it.rgb ? [it.rgb.buffer as ArrayBuffer] : []));
      slot.worker.postMessage(
        { type: 'batch', batchId: batch.id, items: batch.items } satisfies ToWorker,
        transfer,
      );
    }
  }
}
