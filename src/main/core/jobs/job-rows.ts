import type { JobCounts } from '../../../shared/model';
import type { Db } from '../library/db';

export interface JobRow {
  id: number;
  kind: string;
  key: string;
  payload: string;
  priority: number;
  attempts: number;
  /** Starts that found this job running: the process died under it. */
  crashes: number;
}

export interface JobRowInput {
  kind: string;
  key: string;
  payload: string;
  priority: number;
}

/** The next pending jobs of a kind whose crash count passes `crashes`, due now, best first. */
function next(crashes: string): string {
  return `SELECT id, kind, key, payload, priority, attempts, crashes FROM jobs
    WHERE kind = @kind AND state = 'pending' AND ${crashes} AND (run_after IS NULL OR run_after <= @now)
    ORDER BY priority DESC, id LIMIT @limit`;
}

/** What the queue asks most often, by claim (tests read their plans: every one a seek). */
export const CLAIM_SQL = {
  skip: next('crashes = 0'),
  with: next('1'),
  once: next('crashes = 1'),
  again: next('crashes > 1'),
};
export const NEXT_RETRY_SQL = "SELECT min(run_after) FROM jobs WHERE state = 'pending' AND run_after > ?";

/** How a job ended: done (failed null), failed for good, or to run again after `retryAt`. */
export type JobRowOutcome = { id: number; failed: string | null; retryAt?: number };

const INSERT = `
  INSERT INTO jobs (kind, key, payload, priority, state, created_at, updated_at)
  VALUES (@kind, @key, @payload, @priority, 'pending', @now, @now)`;

/**
 * The jobs table: every statement the queue runs, prepared once. A row is 'pending',
 * 'running' or 'failed'; a finished job's row is deleted unless it was queued again while it
 * ran (`again`), in which case it goes back to 'pending'.
 */
export class JobRows {
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      resetRunning: db.prepare(
        "UPDATE jobs SET state = 'pending', crashes = crashes + 1 WHERE state = 'running'",
      ),
      setAside: db.prepare(
        "UPDATE jobs SET state = 'failed', error = ?, run_after = NULL WHERE kind = ? AND state = 'pending' AND crashes >= ?",
      ),
      insertNew: db.prepare(`${INSERT} ON CONFLICT(kind, key) DO NOTHING`),
      upsert: db.prepare(`${INSERT}
        ON CONFLICT(kind, key) DO UPDATE SET
          payload = excluded.payload,
          priority = max(jobs.priority, excluded.priority),
          again = CASE WHEN jobs.state = 'running' THEN 1 ELSE 0 END,
          state = CASE WHEN jobs.state = 'running' THEN 'running' ELSE 'pending' END,
          error = NULL,
          attempts = CASE WHEN jobs.state = 'failed' THEN 0 ELSE jobs.attempts END,
          crashes = CASE WHEN jobs.state = 'failed' THEN 0 ELSE jobs.crashes END,
          run_after = CASE WHEN jobs.state = 'running' THEN jobs.run_after ELSE NULL END,
          updated_at = excluded.updated_at`),
      raise: db.prepare(
        "UPDATE jobs SET priority = max(priority, ?) WHERE kind = ? AND key = ? AND state = 'pending'",
      ),
      cancelKind: db.prepare("DELETE FROM jobs WHERE kind = ? AND state != 'running'"),
      cancelKey: db.prepare("DELETE FROM jobs WHERE kind = ? AND key = ? AND state != 'running'"),
      cancelRange: db.prepare(
        "DELETE FROM jobs WHERE kind = ? AND key >= ? AND key < ? AND state != 'running'",
      ),
      retryAll: db.prepare(
        "UPDATE jobs SET state = 'pending', attempts = 0, crashes = 0, run_after = NULL, error = NULL WHERE state = 'failed'",
      ),
      retryKind: db.prepare(
        "UPDATE jobs SET state = 'pending', attempts = 0, crashes = 0, run_after = NULL, error = NULL WHERE state = 'failed' AND kind = ?",
      ),
      // Kept by triggers (migration 055): counting 100,000 rows a few times a second blocked the loop.
      counts: db.prepare('SELECT kind, state, n FROM job_counts WHERE n > 0'),
      waitingKinds: db.prepare("SELECT kind FROM job_counts WHERE state = 'pending' AND n > 0").pluck(),
      // One statement per kind of claim, so each is a seek on jobs_claim (kind, state, crashes,
      // priority, id) that reads only the rows it returns (decision 0055).
      next: {
        skip: db.prepare(CLAIM_SQL.skip),
        with: db.prepare(CLAIM_SQL.with),
        once: db.prepare(CLAIM_SQL.once),
        again: db.prepare(CLAIM_SQL.again),
      },
      nextRetry: db.prepare(NEXT_RETRY_SQL).pluck(),
      markRunning: db.prepare(
        "UPDATE jobs SET state = 'running', attempts = attempts + 1, updated_at = ? WHERE id = ?",
      ),
      finish: db.prepare('DELETE FROM jobs WHERE id = ? AND again = 0'),
      rerun: db.prepare(
        "UPDATE jobs SET state = 'pending', again = 0, updated_at = ? WHERE id = ? AND again = 1",
      ),
      retryLater: db.prepare(
        "UPDATE jobs SET state = 'pending', again = 0, error = ?, run_after = CASE WHEN again = 1 THEN NULL ELSE ? END, updated_at = ? WHERE id = ?",
      ),
      fail: db.prepare(
        "UPDATE jobs SET state = CASE WHEN again = 1 THEN 'pending' ELSE 'failed' END, again = 0, error = ?, updated_at = ? WHERE id = ?",
      ),
      failure: db.prepare("SELECT error FROM jobs WHERE kind = ? AND key = ? AND state = 'failed'").pluck(),
      failed: db.prepare(
        "SELECT kind, key, error AS reason FROM jobs WHERE state = 'failed' ORDER BY updated_at DESC, id DESC LIMIT ?",
      ),
    };
  }

  /** At start: what a crash or a quit left running goes back in line. */
  resetRunning(): void {
    this.s.resetRunning.run();
  }

  /** Fails the jobs of a kind that were running during `crashes` crashes, with the reason. */
  setAside(kind: string, crashes: number, reason: string): number {
    return this.s.setAside.run(reason, kind, crashes).changes;
  }

  /** When the next job waiting out a retry delay is due, or null. */
  nextRetryAt(): number | null {
    return (this.s.nextRetry.get(Date.now()) as number | null) ?? null;
  }

  /**
   * Queues jobs in one transaction. `onlyNew` leaves existing rows alone (a failed one stays
   * failed); otherwise an existing row takes the new payload and the higher priority.
   */
  add(rows: JobRowInput[], onlyNew: boolean): void {
    const stmt = onlyNew ? this.s.insertNew : this.s.upsert;
    const now = Date.now();
    this.db.transaction(() => {
      for (const row of rows) stmt.run({ ...row, now });
    })();
  }

  raisePriority(jobs: { kind: string; key: string }[], priority: number): void {
    this.db.transaction(() => {
      for (const j of jobs) this.s.raise.run(priority, j.kind, j.key);
    })();
  }

  /** Deletes waiting (and failed) rows of a kind, of one key, or of keys in [from, to). */
  cancel(kind: string, key?: string | { from: string; to: string }): number {
    if (key === undefined) return this.s.cancelKind.run(kind).changes;
    if (typeof key === 'string') return this.s.cancelKey.run(kind, key).changes;
    return this.s.cancelRange.run(kind, key.from, key.to).changes;
  }

  retryFailed(kind?: string): number {
    return (kind === undefined ? this.s.retryAll.run() : this.s.retryKind.run(kind)).changes;
  }

  counts(): Record<string, JobCounts> {
    const rows = this.s.counts.all() as { kind: string; state: string; n: number }[];
    const out: Record<string, JobCounts> = {};
    for (const r of rows) {
      const c = out[r.kind] ?? { pending: 0, running: 0, failed: 0 };
      out[r.kind] = c;
      if (r.state === 'pending' || r.state === 'running' || r.state === 'failed') c[r.state] += r.n;
    }
    return out;
  }

  /** Kinds with pending jobs (due now or later): the others need not be asked for work. */
  waitingKinds(): Set<string> {
    return new Set(this.s.waitingKinds.all() as string[]);
  }

  /**
   * The next jobs of a kind, marked running (their attempts counted) in one transaction.
   * `suspects`: 'skip' leaves out jobs the process already died under, 'with' takes them
   * like any other (kinds without a crash guard), 'once' only those it died under once,
   * 'again' only those it died under more often. Most claims find nothing (every kind is
   * asked each time a job ends): those open no transaction. Nothing else writes between the
   * read and the marking: one process holds the data directory, and this runs synchronously.
   */
  claim(kind: string, limit: number, suspects: 'skip' | 'with' | 'once' | 'again' = 'skip'): JobRow[] {
    const now = Date.now();
    const rows = this.s.next[suspects].all({ kind, now, limit }) as JobRow[];
    if (rows.length === 0) return [];
    this.db.transaction(() => {
      for (const r of rows) this.s.markRunning.run(now, r.id);
    })();
    return rows.map((r) => ({ ...r, attempts: r.attempts + 1 }));
  }

  /** Records how jobs ended: a failure keeps its row and reason; a success deletes the row. */
  finish(outcomes: JobRowOutcome[]): void {
    const now = Date.now();
    this.db.transaction(() => {
      for (const o of outcomes) {
        if (o.failed !== null && o.retryAt !== undefined) {
          this.s.retryLater.run(o.failed, o.retryAt, now, o.id);
        } else if (o.failed !== null) {
          this.s.fail.run(o.failed, now, o.id);
        } else {
          this.s.finish.run(o.id);
          this.s.rerun.run(now, o.id);
        }
      }
    })();
  }

  failedJobs(limit: number): { kind: string; key: string; reason: string }[] {
    return this.s.failed.all(limit) as { kind: string; key: string; reason: string }[];
  }

  /** Why a job failed, while its failed row is kept. */
  failure(kind: string, key: string): string | null {
    return (this.s.failure.get(kind, key) as string | undefined) ?? null;
  }
}
