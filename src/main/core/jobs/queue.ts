import type { Events, Notifier } from '../../../shared/events';
import type { JobCounts, JobProgress } from '../../../shared/model';
import type { Db } from '../library/db';
import { RateMeter } from './rate';

export type JobOutcome =
  | { status: 'done' }
  | { status: 'skipped'; reason?: string }
  | { status: 'failed'; reason: string };

export interface Job<P = unknown> {
  id: number;
  kind: string;
  key: string;
  payload: P;
  priority: number;
  attempts: number;
}

/** Higher runs first: what the user looks at, then new files, then scans, then the backlog. */
export const Priority = { visible: 100, newFile: 50, scan: 20, backlog: 0 } as const;

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

interface JobRow {
  id: number;
  kind: string;
  key: string;
  payload: string;
  priority: number;
  attempts: number;
}

const PAUSED_SETTING = 'jobs.paused';

/**
 * The durable job queue. Jobs are rows in SQLite, so a quit or a crash loses nothing:
 * rows left 'running' by a crash go back to 'pending' at start. One live job per
 * (kind, key); enqueueing it again raises its priority, and a job re-enqueued while it
 * runs runs once more afterwards (its input changed under it).
 */
export class JobQueue {
  private readonly kinds = new Map<string, Kind>();
  private started = false;
  private closing = false;
  private pumpScheduled = false;
  private idleWaiters: (() => void)[] = [];
  private lastProgressAt = 0;
  private progressTimer: NodeJS.Timeout | null = null;
  private finishedTimer: NodeJS.Timeout | null = null;
  private running = new Set<Promise<void>>();
  private _paused: boolean;

  constructor(
    private readonly db: Db,
    private readonly notifier: Notifier,
  ) {
    db.prepare("UPDATE jobs SET state = 'pending' WHERE state = 'running'").run();
    const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(PAUSED_SETTING) as
      | { value: string }
      | undefined;
    this._paused = row?.value === 'true';
  }

  get paused(): boolean {
    return this._paused;
  }

  register<P>(
    kind: string,
    opts: { label: string; concurrency?: number },
    handler: (job: Job<P>) => Promise<JobOutcome>,
  ): void {
    this.registerBatch<P>(kind, { ...opts, batchSize: 1 }, async (jobs) => [await handler(jobs[0]!)]);
  }

  /** A kind whose handler takes several jobs at once (embedding batches). */
  registerBatch<P>(
    kind: string,
    opts: { label: string; concurrency?: number; batchSize: number },
    handler: (jobs: Job<P>[]) => Promise<JobOutcome[]>,
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

  enqueue(kind: string, key: string, payload: unknown = {}, priority = 0): void {
    this.enqueueMany([{ kind, key, payload, priority }]);
  }

  /**
   * `onlyNew` leaves existing jobs alone (a failed one stays failed): for sweeps that
   * enqueue "everything still missing" again and again.
   */
  enqueueMany(
    items: { kind: string; key: string; payload?: unknown; priority?: number }[],
    opts: { onlyNew?: boolean } = {},
  ): void {
    if (items.length === 0) return;
    const now = Date.now();
    const upsert = this.db.prepare(
      opts.onlyNew
        ? `
      INSERT INTO jobs (kind, key, payload, priority, state, created_at, updated_at)
      VALUES (@kind, @key, @payload, @priority, 'pending', @now, @now)
      ON CONFLICT(kind, key) DO NOTHING`
        : `
      INSERT INTO jobs (kind, key, payload, priority, state, created_at, updated_at)
      VALUES (@kind, @key, @payload, @priority, 'pending', @now, @now)
      ON CONFLICT(kind, key) DO UPDATE SET
        payload = excluded.payload,
        priority = max(jobs.priority, excluded.priority),
        again = CASE WHEN jobs.state = 'running' THEN 1 ELSE 0 END,
        state = CASE WHEN jobs.state = 'running' THEN 'running' ELSE 'pending' END,
        error = NULL,
        attempts = CASE WHEN jobs.state = 'failed' THEN 0 ELSE jobs.attempts END,
        updated_at = excluded.updated_at`,
    );
    this.db.transaction(() => {
      for (const it of items) {
        upsert.run({
          kind: it.kind,
          key: it.key,
          payload: JSON.stringify(it.payload ?? {}),
          priority: it.priority ?? 0,
          now,
        });
      }
    })();
    this.schedule();
    this.reportProgress();
  }

  /** Raises the priority of pending jobs (what the user is looking at goes first). */
  prioritise(kind: string, keys: string[], priority: number): void {
    const stmt = this.db.prepare(
      "UPDATE jobs SET priority = max(priority, ?) WHERE kind = ? AND key = ? AND state = 'pending'",
    );
    this.db.transaction(() => {
      for (const key of keys) stmt.run(priority, kind, key);
    })();
  }

  /** Removes pending (and failed) jobs of a kind, or of one key. Running ones finish. */
  cancel(kind: string, key?: string): number {
    const info =
      key === undefined
        ? this.db.prepare("DELETE FROM jobs WHERE kind = ? AND state != 'running'").run(kind)
        : this.db
            .prepare("DELETE FROM jobs WHERE kind = ? AND key = ? AND state != 'running'")
            .run(kind, key);
    this.reportProgress();
    this.checkIdle();
    return info.changes;
  }

  /** Puts failed jobs of a kind back in line. */
  retryFailed(kind?: string): number {
    const info =
      kind === undefined
        ? this.db
            .prepare("UPDATE jobs SET state = 'pending', attempts = 0, error = NULL WHERE state = 'failed'")
            .run()
        : this.db
            .prepare(
              "UPDATE jobs SET state = 'pending', attempts = 0, error = NULL WHERE state = 'failed' AND kind = ?",
            )
            .run(kind);
    this.schedule();
    return info.changes;
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
    this.db
      .prepare(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      )
      .run(PAUSED_SETTING, String(paused));
    this.reportProgress(true);
  }

  counts(): Record<string, JobCounts> {
    const rows = this.db
      .prepare('SELECT kind, state, count(*) AS n FROM jobs GROUP BY kind, state')
      .all() as {
      kind: string;
      state: string;
      n: number;
    }[];
    const out: Record<string, JobCounts> = {};
    for (const r of rows) {
      const c = out[r.kind] ?? { pending: 0, running: 0, failed: 0 };
      out[r.kind] = c;
      if (r.state === 'pending' || r.state === 'running' || r.state === 'failed') c[r.state] += r.n;
    }
    return out;
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

  /** Resolves when no registered kind has pending or running work. */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.checkIdle();
    });
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
    if (!this.db.open) return;
    if (!this.started || this.closing || this._paused) {
      this.checkIdle();
      return;
    }
    const claim = this.db.prepare(`
      SELECT id, kind, key, payload, priority, attempts FROM jobs
      WHERE state = 'pending' AND kind = ? ORDER BY priority DESC, id LIMIT ?`);
    const markRunning = this.db.prepare(
      "UPDATE jobs SET state = 'running', attempts = attempts + 1, updated_at = ? WHERE id = ?",
    );
    for (const [kind, k] of this.kinds) {
      while (k.running < k.concurrency) {
        const rows = claim.all(kind, k.batchSize) as JobRow[];
        if (rows.length === 0) break;
        const now = Date.now();
        this.db.transaction(() => {
          for (const r of rows) markRunning.run(now, r.id);
        })();
        k.running++;
        const jobs = rows.map((r) => ({
          ...r,
          attempts: r.attempts + 1,
          payload: JSON.parse(r.payload) as unknown,
        }));
        const p = this.run(k, jobs).finally(() => {
          this.running.delete(p);
          k.running--;
          this.schedule();
        });
        this.running.add(p);
      }
    }
    this.checkIdle();
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
    const finish = this.db.prepare('DELETE FROM jobs WHERE id = ? AND again = 0');
    const rerun = this.db.prepare(
      "UPDATE jobs SET state = 'pending', again = 0, updated_at = ? WHERE id = ? AND again = 1",
    );
    const fail = this.db.prepare(
      "UPDATE jobs SET state = CASE WHEN again = 1 THEN 'pending' ELSE 'failed' END, again = 0, error = ?, updated_at = ? WHERE id = ?",
    );
    const now = Date.now();
    this.db.transaction(() => {
      jobs.forEach((job, i) => {
        const o = outcomes[i] ?? { status: 'failed', reason: 'The job ended without a result.' };
        if (o.status === 'failed') {
          fail.run(o.reason, now, job.id);
          k.failed++;
        } else {
          finish.run(job.id);
          rerun.run(now, job.id);
        }
      });
    })();
    k.done += jobs.length;
    k.rate.add(jobs.length);
    this.reportProgress();
  }

  private checkIdle(): void {
    if (this.idleWaiters.length === 0 || !this.db.open) return;
    const kinds = [...this.kinds.keys()];
    if (kinds.length === 0) {
      this.flushIdle();
      return;
    }
    const placeholders = kinds.map(() => '?').join(',');
    const row = this.db
      .prepare(
        `SELECT count(*) AS n FROM jobs WHERE state IN ('pending','running') AND kind IN (${placeholders})`,
      )
      .get(...kinds) as { n: number };
    if (row.n === 0 && [...this.kinds.values()].every((k) => k.running === 0)) this.flushIdle();
  }

  private flushIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
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
