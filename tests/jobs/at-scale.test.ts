// The queue's bookkeeping with 20,000 jobs waiting: what it asks each time a job ends must
// read only what it returns (EXPLAIN QUERY PLAN, not timings), and the counts the progress
// bars show, kept by triggers, must equal the rows after every kind of change.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLAIM_SQL, NEXT_RETRY_SQL } from '../../src/main/core/jobs/job-rows';
import type { JobRequest } from '../../src/main/core/jobs/kinds';
import { JobQueue } from '../../src/main/core/jobs/queue';
import { type Db, openDatabase } from '../../src/main/core/library/db';
import { queueIdle } from '../helpers/queue';
import { RecordingNotifier, tempDir } from '../helpers/temp';

interface TestJobs {
  work: { bad?: boolean };
  other: Record<string, never>;
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function open(file: string): { db: Db; queue: JobQueue<TestJobs> } {
  const db = openDatabase(file);
  const queue = new JobQueue<TestJobs>(db, new RecordingNotifier());
  cleanups.push(() => db.open && db.close());
  return { db, queue };
}

const plan = (db: Db, sql: string, params: object | unknown[] = {}) =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail);

/** What SQLite itself counts, for comparing with the counts the queue reports. */
function countedRows(db: Db): Record<string, { pending: number; running: number; failed: number }> {
  const out: Record<string, { pending: number; running: number; failed: number }> = {};
  for (const r of db.prepare('SELECT kind, state, count(*) AS n FROM jobs GROUP BY kind, state').all() as {
    kind: string;
    state: 'pending' | 'running' | 'failed';
    n: number;
  }[]) {
    out[r.kind] ??= { pending: 0, running: 0, failed: 0 };
    out[r.kind]![r.state] = r.n;
  }
  return out;
}

describe('the queue with many jobs waiting', () => {
  it('finds the next job of each kind by seeking, never by walking the others', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const { db } = open(join(t.dir, 'library.db'));
    const insert = db.prepare(
      "INSERT INTO jobs (kind, key, priority, created_at, updated_at) VALUES ('ingest-file', ?, 10, 0, 0)",
    );
    db.transaction(() => {
      for (let i = 0; i < 20_000; i++) insert.run(`/photos/${i}.jpg`);
    })();
    for (const [suspects, sql] of Object.entries(CLAIM_SQL)) {
      const steps = plan(db, sql, { kind: 'thumbnail', now: Date.now(), limit: 32 });
      expect(steps[0], suspects).toMatch(/^SEARCH jobs USING INDEX jobs_claim \(kind=\? AND state=\?/);
      // The common claims come out in order from the index; the crash guard's rare ones may sort.
      if (suspects === 'skip' || suspects === 'once') expect(steps, suspects).toHaveLength(1);
    }
    expect(plan(db, NEXT_RETRY_SQL, [0])).toEqual(['SEARCH jobs USING INDEX jobs_retry (run_after>?)']);
  });

  it('reports counts that equal the rows after runs, failures, retries, cancels and a crash', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const file = join(t.dir, 'library.db');
    const first = open(file);
    const jobs: JobRequest<TestJobs>[] = [];
    for (let i = 0; i < 300; i++) jobs.push({ kind: 'work', key: `w${i}`, payload: { bad: i % 10 === 0 } });
    for (let i = 0; i < 50; i++) jobs.push({ kind: 'other', key: `o${i}`, payload: {} });
    first.queue.enqueueMany(jobs);
    first.queue.enqueueMany(jobs.slice(0, 20)); // again: no second row, the count stays
    expect(first.queue.counts()).toEqual({
      work: { pending: 300, running: 0, failed: 0 },
      other: { pending: 50, running: 0, failed: 0 },
    });
    first.queue.register('work', { label: 'Working', concurrency: 3 }, async (job) =>
      job.payload.bad ? { status: 'failed', reason: 'This file is not a photo.' } : { status: 'done' },
    );
    first.queue.start();
    await queueIdle({ counts: () => ({ work: first.queue.counts().work! }) });
    expect(first.queue.counts()).toEqual(countedRows(first.db));
    expect(first.queue.counts().work).toEqual({ pending: 0, running: 0, failed: 30 });

    first.queue.retryFailed('work');
    first.queue.cancel({ kind: 'other', key: 'o1', payload: {} });
    expect(first.queue.counts()).toEqual(countedRows(first.db));
    // A crash with jobs running: at the next start they are pending again, and counted so.
    first.db.prepare("UPDATE jobs SET state = 'running' WHERE kind = 'other' AND key < 'o3'").run();
    first.db.close();
    const second = open(file);
    expect(second.queue.counts()).toEqual(countedRows(second.db));
    expect(second.queue.counts().other).toEqual({ pending: 49, running: 0, failed: 0 });
    second.queue.cancel('other');
    expect(second.queue.counts()).toEqual(countedRows(second.db));
    expect(second.queue.counts().other).toBeUndefined();
  });
});
