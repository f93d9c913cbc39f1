import type { Events, Notifier } from '../../../shared/events';
import type { JobCounts, JobProgress } from '../../../shared/model';
import type { Db } from '../library/db';
import { SettingsStore } from '../library/settings';
import { JobRows } from './job-rows';
import type { Job, JobPayloads, JobRequest } from './kinds';
import { RateMeter } from './rate';

export type JobOutcome =
  | { status: 'done' }
  | { status: 'skipped'; reason?: string }
  | { status: 'failed'; reason: string };

export { type Job, type JobOf, Priority } from './kinds';

type Handler = (jobs: Job[]) => Promise<JobOutcome[]>;

interface Kind {
  label: string;
  concurrency: number;
  batchSize: number;
  running: number;
  handler: Handler;
  /** Finished since this kind last had nothing to do: the "done" of its progress bar. */
  done: number;
  failed: number;
  rate: RateMeter;
}

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

  constructor(
    private readonly db: Db,
    private readonly notifier: Notifier,
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
    opts: { label: string; concurrency?: number },
    handler: (job: Job<P[K]>) => Promise<JobOutcome>,
  ): void {
    this.registerBatch(kind, { ...opts, batchSize: 1 }, async (jobs) => [await handler(jobs[0]!)]);
  }

  /** A kind whose handler takes several jobs at once (embedding batches). */
  registerBatch<K extends keyof P & string>(
    kind: K,
    opts: { label: string; concurrency?: number; batchSize: number },
    handler: (jobs: Job<P[K]>[]) => Promise<JobOutcome[]>,
  ): void {
    this.kinds.set(kind, {
      label: opts.label,
      concurrency: opts.concurrency ?? 1,
      batchSize: opts.batchSize,
      running: 0,
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

  start(): void {
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
    for (const [kind, k] of this.kinds) {
      while (k.running < k.concurrency) {
        const rows = this.rows.claim(kind, k.batchSize);
        if (rows.length === 0) break;
        k.running++;
        const jobs = rows.map((r) => ({ ...r, payload: JSON.parse(r.payload) as unknown }));
        const p = this.run(k, jobs).finally(() => {
          this.running.delete(p);
          k.running--;
          this.schedule();
        });
        this.running.add(p);
      }
    }
  }

  private async run(k: Kind, jobs: Job[]): Promise<void> {
    let outcomes: JobOutcome[];
    try {
      outcomes = await k.handler(jobs);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      outcomes = jobs.map(() => ({ status: 'failed', reason }));
    }
    // The app is quitting (or crashed) under this job: its row stays 'running' and goes
    // back to 'pending' at the next start.
    if (!this.db.open) return;
    const ended = jobs.map((job, i) => {
      const o = outcomes[i] ?? { status: 'failed', reason: 'The job ended without a result.' };
      return { id: job.id, failed: o.status === 'failed' ? o.reason : null };
    });
    this.rows.finish(ended);
    k.failed += ended.filter((e) => e.failed !== null).length;
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
