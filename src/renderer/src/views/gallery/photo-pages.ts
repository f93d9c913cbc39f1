import type { Photo, PhotoPage } from '../../../../shared/model';

export type FetchPage = (offset: number, limit: number) => Promise<PhotoPage>;

interface CachedPage {
  items: Photo[];
  /** Library generation the page was fetched in; older pages are shown until replaced. */
  generation: number;
}

/**
 * Pages of `photos:list` (newest first) fetched on demand for the rows in view and kept in a
 * bounded LRU. After the library changes, `invalidate()` marks every page stale: stale pages
 * keep showing (no flash of placeholders, no lost scroll position) until `ensure` refetches
 * the ones in view.
 */
export class PhotoPages {
  private readonly pages = new Map<number, CachedPage>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly listeners = new Set<() => void>();
  private generation = 0;
  /** Total reported by the last page fetched; null until one arrives. */
  total: number | null = null;
  lastError: Error | null = null;

  constructor(
    private readonly fetchPage: FetchPage,
    readonly pageSize = 200,
    /** 40 pages of 200: a few screens either way, and memory that does not grow with distance. */
    private readonly maxPages = 40,
  ) {}

  /** The photo at gallery index `index`, if its page is loaded (possibly stale). */
  get(index: number): Photo | undefined {
    const page = this.pages.get(Math.floor(index / this.pageSize));
    return page?.items[index % this.pageSize];
  }

  /** Gallery index of a loaded photo, if any loaded page holds it. */
  indexOf(id: number): number | undefined {
    for (const [pageNumber, page] of this.pages) {
      const position = page.items.findIndex((photo) => photo.id === id);
      if (position >= 0) return pageNumber * this.pageSize + position;
    }
    return undefined;
  }

  /** Loads (or refreshes, if stale) every page overlapping gallery indices [from, to]. */
  async ensure(from: number, to: number): Promise<void> {
    if (to < from || to < 0) return;
    const first = Math.floor(Math.max(0, from) / this.pageSize);
    const last = Math.floor(to / this.pageSize);
    const waits: Promise<void>[] = [];
    for (let n = first; n <= last; n++) {
      const page = this.pages.get(n);
      if (page) this.touch(n, page);
      if (page && page.generation === this.generation) continue;
      waits.push(this.load(n));
    }
    await Promise.all(waits);
  }

  /** Ids of gallery indices [from, to] in order, loading what is missing (for Shift ranges). */
  async idsInRange(from: number, to: number): Promise<number[]> {
    const ids: number[] = [];
    for (let start = from; start <= to; start += this.pageSize * 10) {
      const end = Math.min(to, start + this.pageSize * 10 - 1);
      await this.ensureLoaded(start, end);
      for (let i = start; i <= end; i++) {
        const photo = this.get(i);
        if (photo) ids.push(photo.id);
      }
    }
    return ids;
  }

  /** The library changed: keep what is shown, refetch on the next ensure. */
  invalidate(): void {
    this.generation++;
  }

  /** Forget everything (e.g. a different filter). */
  clear(): void {
    this.generation++;
    this.pages.clear();
    this.total = null;
    this.notify();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Like ensure, but accepts stale pages (they hold ids that were true a moment ago). */
  private async ensureLoaded(from: number, to: number): Promise<void> {
    const first = Math.floor(from / this.pageSize);
    const last = Math.floor(to / this.pageSize);
    const waits: Promise<void>[] = [];
    for (let n = first; n <= last; n++) if (!this.pages.has(n)) waits.push(this.load(n));
    await Promise.all(waits);
  }

  private load(pageNumber: number): Promise<void> {
    // Keyed by generation too: after an invalidation a fresh request must not wait on an old one.
    const generation = this.generation;
    const key = `${pageNumber}:${generation}`;
    const running = this.inFlight.get(key);
    if (running) return running;
    const promise = this.fetchPage(pageNumber * this.pageSize, this.pageSize)
      .then((page) => {
        this.lastError = null;
        this.total = page.total;
        const existing = this.pages.get(pageNumber);
        // A late answer from before an invalidation must not replace a fresher page.
        if (!existing || existing.generation <= generation) {
          this.touch(pageNumber, { items: page.items, generation });
          this.evict();
        }
        this.notify();
      })
      .catch((error: unknown) => {
        this.lastError = error instanceof Error ? error : new Error(String(error));
        this.notify();
      })
      .finally(() => {
        this.inFlight.delete(key);
      });
    this.inFlight.set(key, promise);
    return promise;
  }

  private touch(pageNumber: number, page: CachedPage): void {
    this.pages.delete(pageNumber);
    this.pages.set(pageNumber, page);
  }

  private evict(): void {
    while (this.pages.size > this.maxPages) {
      const oldest = this.pages.keys().next().value;
      if (oldest === undefined) return;
      this.pages.delete(oldest);
    }
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
