/**
 * Fetches a batch of thumbnails: their bytes in the order asked, null for one not served.
 * `signal` aborts it when no tile wants any of them any more.
 */
export type FetchThumbnails = (paths: string[], signal: AbortSignal) => Promise<(Uint8Array | null)[]>;

/** Gets a thumbnail's bytes as a Blob, or null when it cannot be shown (missing, refused, failed). */
export type ThumbnailListener = (blob: Blob | null) => void;

interface Wanted {
  urgent: boolean;
  listeners: Set<ThumbnailListener>;
}

/** A batch on its way: who waits for each of its thumbnails. */
interface Batch {
  listeners: Map<string, Set<ThumbnailListener>>;
  abort: AbortController;
}

export interface ThumbnailStoreOptions {
  /** Batches in flight at once (the browser keeps 6 connections per host; leave some for pages). */
  maxInFlight?: number;
  /** Fewest and most thumbnails per batch; what is waiting is spread over the free slots. */
  minBatch?: number;
  maxBatch?: number;
  /** Encoded thumbnails kept for tiles that come back (bytes, not count: sizes differ). */
  maxBytes?: number;
  /**
   * A batch not answered by then is given up, as a failed one is: a stalled connection must not
   * hold one of the few slots, and the thumbnails after it, for good.
   */
  batchTimeoutMs?: number;
}

/**
 * The gallery's thumbnails, fetched in batches and kept in a bounded cache of encoded bytes
 * (decision 0060). Tiles in view go first; a tile that leaves before its batch was sent takes
 * its thumbnail out of the queue, and a batch no tile waits for any more is cancelled, so
 * rows scrolled past do not hold a connection the rows in view need. The window holds no decoded image of a tile that is gone:
 * each tile decodes its own and lets go of it when it unmounts, so memory does not grow with
 * the distance scrolled (Chromium's image caches, keyed by URL, did).
 */
export class ThumbnailStore {
  private readonly cache = new Map<string, Blob>();
  private cachedBytes = 0;
  private readonly waiting = new Map<string, Wanted>();
  private readonly sent = new Map<string, Batch>();
  private inFlight = 0;
  private urgentInFlight = 0;
  private flushScheduled = false;
  private readonly maxInFlight: number;
  private readonly minBatch: number;
  private readonly maxBatch: number;
  private readonly maxBytes: number;
  private readonly batchTimeoutMs: number;

  constructor(
    private readonly fetchThumbnails: FetchThumbnails,
    options: ThumbnailStoreOptions = {},
  ) {
    this.maxInFlight = options.maxInFlight ?? 4;
    this.minBatch = options.minBatch ?? 4;
    this.maxBatch = options.maxBatch ?? 32;
    this.maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
    this.batchTimeoutMs = options.batchTimeoutMs ?? 30_000;
  }

  /**
   * Asks for a thumbnail; `listener` gets it once (at once if cached). `urgent`: the tile is in
   * view. Returns a function that withdraws the wish (the tile left).
   */
  want(path: string, urgent: boolean, listener: ThumbnailListener): () => void {
    const cached = this.cache.get(path);
    if (cached) {
      this.cache.delete(path);
      this.cache.set(path, cached);
      listener(cached);
      return () => {};
    }
    const batch = this.sent.get(path);
    if (batch) {
      batch.listeners.get(path)!.add(listener);
      return () => this.withdrawSent(batch, path, listener);
    }
    let wanted = this.waiting.get(path);
    if (!wanted) {
      wanted = { urgent, listeners: new Set() };
      this.waiting.set(path, wanted);
    }
    wanted.urgent ||= urgent;
    wanted.listeners.add(listener);
    this.scheduleFlush();
    return () => {
      const still = this.waiting.get(path);
      if (still) {
        still.listeners.delete(listener);
        if (still.listeners.size === 0) this.waiting.delete(path);
      }
      const batch = this.sent.get(path);
      if (batch) this.withdrawSent(batch, path, listener);
    };
  }

  private withdrawSent(batch: Batch, path: string, listener: ThumbnailListener): void {
    batch.listeners.get(path)?.delete(listener);
    for (const listeners of batch.listeners.values()) if (listeners.size > 0) return;
    // Nobody waits: cancel it, and a tile asking for one of these again starts afresh.
    for (const sentPath of batch.listeners.keys())
      if (this.sent.get(sentPath) === batch) this.sent.delete(sentPath);
    batch.abort.abort();
  }

  /** Thumbnails waiting to be sent (for tests and traces). */
  get queued(): number {
    return this.waiting.size;
  }

  /** Bytes of encoded thumbnails held. */
  get bytes(): number {
    return this.cachedBytes;
  }

  /** Tiles mounted in the same render ask together: one flush after them, not one per tile. */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setTimeout(() => {
      this.flushScheduled = false;
      this.flush();
    }, 0);
  }

  /**
   * Sends what waits, spread over the free slots. Tiles in view go alone: the rows rendered
   * ahead wait until nothing in view is waiting or on its way, so they take neither a
   * connection nor decoding time from what the user looks at.
   */
  private flush(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.size > 0) {
      const urgent = [...this.waiting].filter(([, wanted]) => wanted.urgent).map(([path]) => path);
      if (urgent.length === 0 && this.urgentInFlight > 0) return;
      const group = urgent.length > 0 ? urgent : [...this.waiting.keys()];
      const free = this.maxInFlight - this.inFlight;
      const size = Math.min(this.maxBatch, Math.max(this.minBatch, Math.ceil(group.length / free)));
      this.send(group.slice(0, size), urgent.length > 0);
    }
  }

  private send(paths: string[], urgent: boolean): void {
    const batch: Batch = { listeners: new Map(), abort: new AbortController() };
    for (const path of paths) {
      batch.listeners.set(path, this.waiting.get(path)!.listeners);
      this.sent.set(path, batch);
      this.waiting.delete(path);
    }
    this.inFlight++;
    if (urgent) this.urgentInFlight++;
    const late = setTimeout(
      () => batch.abort.abort(new Error('The thumbnails took too long.')),
      this.batchTimeoutMs,
    );
    this.fetchThumbnails(paths, batch.abort.signal)
      .then(
        (files) => {
          for (const [i, path] of paths.entries()) this.deliver(batch, path, files[i] ?? null);
        },
        () => {
          // Cancelled (nobody waits) or failed: whoever still waits sees a thumbnail not shown.
          for (const path of paths) this.deliver(batch, path, null);
        },
      )
      .finally(() => {
        clearTimeout(late);
        this.inFlight--;
        if (urgent) this.urgentInFlight--;
        this.flush();
      });
  }

  private deliver(batch: Batch, path: string, bytes: Uint8Array | null): void {
    const listeners = batch.listeners.get(path);
    if (this.sent.get(path) === batch) this.sent.delete(path);
    const blob = bytes ? new Blob([bytes as Uint8Array<ArrayBuffer>]) : null;
    if (blob) this.remember(path, blob);
    for (const listener of listeners ?? []) listener(blob);
  }

  private remember(path: string, blob: Blob): void {
    this.cache.set(path, blob);
    this.cachedBytes += blob.size;
    while (this.cachedBytes > this.maxBytes && this.cache.size > 1) {
      const [oldest, old] = this.cache.entries().next().value as [string, Blob];
      this.cache.delete(oldest);
      this.cachedBytes -= old.size;
    }
  }
}
