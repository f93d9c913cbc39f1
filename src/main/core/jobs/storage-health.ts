/**
 * Whether the queue can write its rows. The database cannot be written (a full disk, an I/O
 * error): nothing is lost, since rows not written stay as they were (a job not marked done runs
 * again). The queue says why (library:status) and tries again with a growing delay, up to 30 s.
 */
export class StorageHealth {
  /** Why the queue cannot write now, in the user's words, or null. */
  failure: string | null = null;
  private backoffMs = 0;

  /** Records the failure; returns how long to wait before trying again. */
  trouble(error: unknown): number {
    const message = (error as Error).message ?? String(error);
    this.failure = /full/i.test(message)
      ? `The disk holding the library is full (${message}). Komorebi is waiting and goes on by itself once space is freed.`
      : `The library database cannot be written (${message}). Komorebi tries again by itself.`;
    this.backoffMs = Math.min(30_000, Math.max(500, this.backoffMs * 2));
    return this.backoffMs;
  }

  /** A write went through; true if that ends a failure (the status changes). */
  ok(): boolean {
    if (this.failure === null) return false;
    this.failure = null;
    this.backoffMs = 0;
    return true;
  }
}
