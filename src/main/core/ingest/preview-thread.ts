// The main thread's side of the preview worker (preview-worker.ts): one thread, started on the
// first new photo, many requests in flight. Until the thread has loaded (a few hundred
// milliseconds, more from source), requests run on the calling thread, so the first new photos
// show as soon as they would without it; a thread that cannot start leaves them there for good.
// If the thread dies with work in it, those requests fail with an error that ingest treats like
// a full disk (the photo is kept, its thumbnail is retried as a job) and a new thread starts.
import { Worker } from 'node:worker_threads';
import { resolveWorkerEntry } from '../worker-entry';
import type { PreviewReply, PreviewWorkerReady, ToPreviewWorker } from './preview-protocol';
import { makePreviews, type PreviewRequest, type PreviewResult } from './previews';

export function resolvePreviewWorker(base: string = import.meta.url): URL {
  return resolveWorkerEntry(
    {
      built: 'preview-worker.js',
      dev: 'preview-worker-dev.mjs',
      source: 'src/main/core/ingest/preview-worker.ts',
    },
    base,
  );
}

/** The code of the error a request gets when the thread stopped under it (see isDecodeError). */
export const PREVIEW_THREAD_STOPPED = 'EPREVIEWTHREAD';

interface Waiting {
  resolve: (r: PreviewResult) => void;
  reject: (e: Error) => void;
}

export class PreviewThread {
  private worker: Worker | null = null;
  private ready = false;
  /** Why the thread cannot be used (it failed to load): previews are made on this thread. */
  unavailable: string | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  private closed = false;

  constructor(private readonly url?: URL) {}

  make(request: PreviewRequest): Promise<PreviewResult> {
    if (this.closed) return Promise.reject(stopped('Komorebi is closing'));
    const worker = this.worker ?? this.start();
    if (!worker || !this.ready) return makePreviews(request);
    const id = this.nextId++;
    worker.ref(); // work in flight keeps the process up; an idle thread does not
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ type: 'make', id, request } satisfies ToPreviewWorker);
    });
  }

  /** Lets the requests in flight finish, then ends the thread. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'close' } satisfies ToPreviewWorker);
    await exited;
  }

  private start(): Worker | null {
    if (this.unavailable) return null;
    let worker: Worker;
    try {
      worker = new Worker(this.url ?? resolvePreviewWorker());
    } catch (e) {
      this.unavailable = (e as Error).message;
      return null;
    }
    this.worker = worker;
    this.ready = false;
    worker.on('message', (reply: PreviewReply | PreviewWorkerReady) => {
      if ('type' in reply) {
        this.ready = true;
        return;
      }
      const w = this.waiting.get(reply.id);
      if (!w) return;
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) worker.unref();
      if (reply.ok) w.resolve(reply.result);
      else w.reject(Object.assign(new Error(reply.message), reply.code ? { code: reply.code } : {}));
    });
    const fail = (why: string) => {
      if (this.worker !== worker) return;
      if (!this.ready) this.unavailable = `The preview thread did not start (${why}).`;
      this.worker = null;
      this.ready = false;
      const held = [...this.waiting.values()];
      this.waiting.clear();
      for (const w of held) w.reject(stopped(why));
    };
    worker.on('error', (e) => fail(`it failed: ${e.message}`));
    worker.on('exit', (code) => fail(code === 0 ? 'it ended' : `it ended with code ${code}`));
    worker.unref(); // until it holds work
    return worker;
  }
}

function stopped(why: string): Error {
  return Object.assign(new Error(`The preview thread stopped (${why}); the thumbnail is made again later.`), {
    code: PREVIEW_THREAD_STOPPED,
  });
}
