import type { Events, Notifier } from '../../../shared/events';
import type { JobCounts, JobProgress } from '../../../shared/model';
import type { Db } from '../library/db';
import { SettingsStore } from '../library/settings';
import { type JobRow, type JobRowOutcome, JobRows } from './job-rows';
import type { Handler, Kind } from './kind-state';
import type { Job, JobPayloads, JobRequest } from './kinds';
import { RateMeter } from './rate';
import { StorageHealth } from './storage-health';
import { isTransient, MAX_CRASHES, MAX_TRIES, retryDelayMs, SET_ASIDE_REASON } from './transient';

export type JobOutcome =
  | { status: 'done' }
  | { status: 'skipped'; reason?: string }
  | { status: 'failed'; reason: string };

export { type Job, type JobOf, Priority } from './kinds';

/**
 * The durable job queue. Jobs are rows in SQLite, so a quit or a crash loses nothing:
 * rows left 'running' by a crash go back to 'pending' at start. One live job per
 * (kind, key); enqueueing it again raises its priority, and a job re-enqueued while it
 * runs runs once more afterwards (its input changed under it). `P` maps each kind to its
 * payload (jobs/kinds.ts), so a job and its handler are checked by the compiler.
 */
export class JobQueue<P extends object = JobPayloads> {
  private readonly kinds = new Map<string, Kind>();
  private readonly rows: JobRows;
  private readonly settings: SettingsStore;
  private started = false;
  private closing = false;
  private pumpScheduled = false;
  private lastProgressAt = 0;
  private progressTimer: NodeJS.Timeout | null = null;
  private finishedTimer: NodeJS.Timeout | null = null;
  private running = new Set<Promise<void>>();
  private _paused: boolean;
  /** Outcomes that could not be written (disk full, I/O error): written before anything else runs. */
  private unwritten: JobRowOutcome[] = [];
  private readonly storage = new StorageHealth();
  private wakeTimer: NodeJS.Timeout | null = null;
  /** A job the process died under is running, alone. */
  private suspectRunning = false;

  constructor(
    private readonly db: Db,
    private readonly notifier: Notifier,
    /** Removes every key and token from a failure before it is saved (a server may repeat one). */
    private readonly redact: (text: string) => string = (text) => text,
  ) {
    this.rows = new JobRows(db);
    this.settings = new SettingsStore(db);
    this.rows.resetRunning();
    this._paused = this.settings.get('jobs.paused') ?? false;
  }

  get paused(): boolean {
    return this._paused;
  }

  register<K extends keyof P & string>(
    kind: K,
    opts: { label: string; concurrency?: number; crashGuard?: boolean },
    handler: (job: Job<P[K]>) => Promise<JobOutcome>,
  ): void {
    this.registerBatch(kind, { ...opts, batchSize: 1 }, async (jobs) => [await handler(jobs[0]!)]);
  }

  /** A kind whose handler takes several jobs at once (embedding batches). */
  registerBatch<K extends keyof P & string>(
    kind: K,
    opts: {
      label: string;
      concurrency?: number;
      batchSize: number;
      crashGuard?: boolean;
      afterOthers?: boolean;
    },
    handler: (jobs: Job<P[K]>[]) => Promise<JobOutcome[]>,
  ): void {
    this.kinds.set(kind, {
      label: opts.label,
      concurrency: opts.concurrency ?? 1,
      batchSize: opts.batchSize,
      running: 0,
      crashGuard: opts.crashGuard ?? true,
      afterOthers: opts.afterOthers ?? false,
      handler: handler as Handler,
      done: 0,
      failed: 0,
      rate: new RateMeter(),
    });
    this.schedule();
  }

  enqueue(job: JobRequest<P>): void {
    this.enqueueMany([job]);
  }

  /**
   * `onlyNew` leaves existing jobs alone (a failed one stays failed): for sweeps that
   * enqueue "everything still missing" again and again.
   */
  enqueueMany(jobs: JobRequest<P>[], opts: { onlyNew?: boolean } = {}): void {
    if (jobs.length === 0) return;
    this.rows.add(
      jobs.map((j) => ({
        kind: String(j.kind),
        key: j.key,
        payload: JSON.stringify(j.payload ?? {}),
        priority: j.priority ?? 0,
      })),
      opts.onlyNew ?? false,
    );
    this.schedule();
    this.reportProgress();
  }

  /** Raises the priority of pending jobs (what the user is looking at goes first). */
  prioritise(jobs: JobRequest<P>[], priority: number): void {
    this.rows.raisePriority(
      jobs.map((j) => ({ kind: String(j.kind), key: j.key })),
      priority,
    );
  }

  /**
   * Removes pending (and failed) jobs: every job of a kind, one job, or the jobs of a kind
   * whose keys lie in [from, to) (the files under a folder). Running ones finish.
   */
  cancel(
    what: (keyof P & string) | JobRequest<P> | { kind: keyof P & string; from: string; to: string },
  ): number {
    const changes =
      typeof what === 'string'
        ? this.rows.cancel(what)
        : 'from' in what
          ? this.rows.cancel(what.kind, { from: what.from, to: what.to })
          : this.rows.cancel(String(what.kind), what.key);
    this.reportProgress();
    return changes;
  }

  /** Puts failed jobs of a kind back in line. */
  retryFailed(kind?: keyof P & string): number {
    const changes = this.rows.retryFailed(kind);
    this.schedule();
    return changes;
  }

  /** Why a job failed, while it stays failed; null if it did not fail. */
  failure(job: JobRequest<P>): string | null {
    return this.rows.failure(String(job.kind), job.key);
  }

  /** Why the queue cannot write its progress now (the disk is full, ...), or null. */
  get storageError(): string | null {
    return this.storage.failure;
  }

  /** Failed jobs, newest first, with their reasons: what Activity lists with a Retry button. */
  failedJobs(limit = 100): { kind: string; key: string; reason: string }[] {
    return this.rows.failedJobs(limit);
  }

  start(): void {
    // A job the process died under three times is set aside before it can run again.
    for (const [kind, k] of this.kinds)
      if (k.crashGuard) this.rows.setAside(kind, MAX_CRASHES, SET_ASIDE_REASON);
    this.started = true;
    this.schedule();
    this.reportProgress(true);
  }

  pause(): void {
    this.setPaused(true);
  }

  resume(): void {
    this.setPaused(false);
    this.schedule();
  }

  private setPaused(paused: boolean): void {
    this._paused = paused;
    this.settings.set('jobs.paused', paused);
    this.reportProgress(true);
  }

  counts(): Record<string, JobCounts> {
    return this.rows.counts();
  }

  progress(): JobProgress[] {
    const counts = this.counts();
    const out: JobProgress[] = [];
    for (const [kind, k] of this.kinds) {
      const c = counts[kind] ?? { pending: 0, running: 0, failed: 0 };
      const left = c.pending + c.running;
      if (left === 0 && k.done === 0) continue;
      const perSecond = k.rate.perSecond();
      out.push({
        kind,
        label: k.label,
        done: k.done,
        total: k.done + left,
        perSecond,
        secondsLeft: perSecond > 0 && !this._paused ? Math.ceil(left / perSecond) : null,
      });
    }
    return out;
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.progressTimer) clearTimeout(this.progressTimer);
    if (this.finishedTimer) clearTimeout(this.finishedTimer);
    await Promise.allSettled([...this.running]);
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
  }

  private schedule(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    if (!this.db.open || !this.started || this.closing || this._paused) return;
    try {
      this.claimAndRun();
      this.storageOk();
    } catch (error) {
      this.storageTrouble(error);
      return;
    }
    this.wakeForRetries();
  }

  private claimAndRun(): void {
    if (this.unwritten.length > 0) {
      this.rows.finish(this.unwritten);
      this.unwritten = [];
    }
    if (this.suspectRunning) return;
    for (const later of [false, true]) {
      // A kind with work left is running after its claims, so this says "nothing else to do".
      if (later && [...this.kinds.values()].some((k) => !k.afterOthers && k.running > 0)) break;
      for (const [kind, k] of this.kinds) {
        if (k.afterOthers !== later) continue;
        while (k.running < k.concurrency) {
          const rows = this.rows.claim(kind, k.batchSize, k.crashGuard ? 'skip' : 'with');
          if (rows.length === 0) break;
          this.launch(k, rows);
        }
      }
    }
    // Jobs the process died under wait until nothing else is left (a kill from outside hits
    // whatever runs); those hit once then run as one batch, one hit again alone (decision 0042).
    if (this.running.size > 0) return;
    for (const [kind, k] of this.kinds) {
      if (!k.crashGuard) continue;
      const once = this.rows.claim(kind, k.batchSize, 'once');
      const rows = once.length > 0 ? once : this.rows.claim(kind, 1, 'again');
      if (rows.length === 0) continue;
      this.suspectRunning = true;
      this.launch(k, rows, () => {
        this.suspectRunning = false;
      });
      return;
    }
  }

  private launch(k: Kind, rows: JobRow[], ended?: () => void): void {
    k.running++;
    const jobs = rows.map((r) => ({ ...r, payload: JSON.parse(r.payload) as unknown }));
    const p = this.run(k, jobs).finally(() => {
      this.running.delete(p);
      k.running--;
      ended?.();
      // Reported again now that the batch no longer counts as running: a kind whose last batch
      // just ended must be seen as finished, or Activity keeps showing "n of n".
      this.reportProgress();
      this.schedule();
    });
    this.running.add(p);
  }

  private storageTrouble(error: unknown): void {
    this.wake(this.storage.trouble(error));
    this.reportProgress(true);
  }

  private storageOk(): void {
    if (this.storage.ok()) this.reportProgress(true);
  }

  /** Jobs waiting out a retry delay: wake the pump when the first one is due. */
  private wakeForRetries(): void {
    const at = this.rows.nextRetryAt();
    if (at !== null) this.wake(Math.max(0, at - Date.now()) + 10);
  }

  private wake(ms: number): void {
    if (this.closing) return;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = null;
      this.schedule();
    }, ms);
    this.wakeTimer.unref?.();
  }

  private async run(k: Kind, jobs: Job[]): Promise<void> {
    let outcomes: JobOutcome[];
    try {
      outcomes = await k.handler(jobs);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      outcomes = jobs.map(() => ({ status: 'failed', reason }));
    }
    outcomes = outcomes.map((o) => (o.status === 'failed' ? { ...o, reason: this.redact(o.reason) } : o));
    // The app is quitting (or crashed) under this job: its row stays 'running' and goes
    // back to 'pending' at the next start.
    if (!this.db.open) return;
    const ended = jobs.map((job, i): JobRowOutcome => {
      const o = outcomes[i] ?? { status: 'failed', reason: 'The job ended without a result.' };
      if (o.status !== 'failed') return { id: job.id, failed: null };
      // A failure outside the job's input heals: try again later, a little later each time.
      if (isTransient(o.reason) && job.attempts < MAX_TRIES)
        return { id: job.id, failed: o.reason, retryAt: Date.now() + retryDelayMs(job.attempts) };
      return {
        id: job.id,
        failed: job.attempts > 1 ? `${o.reason} (tried ${job.attempts} times)` : o.reason,
      };
    });
    try {
      this.rows.finish(ended);
    } catch (error) {
      this.unwritten.push(...ended);
      this.storageTrouble(error);
    }
    k.failed += ended.filter((e) => e.failed !== null && e.retryAt === undefined).length;
    k.done += jobs.length;
    k.rate.add(jobs.length);
    this.reportProgress();
  }

  /** Throttled to a few events a second; a kind that ran dry starts its next bar from zero. */
  private reportProgress(now = false): void {
    if (this.closing || !this.db.open) return;
    const due = this.lastProgressAt + 250 - Date.now();
    if (!now && due > 0) {
      this.progressTimer ??= setTimeout(() => {
        this.progressTimer = null;
        this.reportProgress(true);
      }, due);
      return;
    }
    this.lastProgressAt = Date.now();
    const payload: Events['jobs:progress'] = { paused: this._paused, progress: this.progress() };
    this.notifier.emit('jobs:progress', payload);
    const counts = this.counts();
    let finished = false;
    for (const [kind, k] of this.kinds) {
      const c = counts[kind];
      if ((!c || c.pending + c.running === 0) && k.running === 0 && k.done > 0) {
        k.done = 0;
        k.rate.reset();
        finished = true;
      }
    }
    // The window has just seen "n of n"; a little later it hears the work is over, so a
    // finished bar does not stay on screen.
    if (finished) {
      this.finishedTimer ??= setTimeout(() => {
        this.finishedTimer = null;
        this.reportProgress(true);
      }, 1500);
      this.finishedTimer.unref?.();
    }
  }
}
