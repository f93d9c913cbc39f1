import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobRequest } from '../../src/main/core/jobs/kinds';
import { JobQueue } from '../../src/main/core/jobs/queue';
import { type Db, openDatabase } from '../../src/main/core/library/db';
import { queueIdle } from '../helpers/queue';
import { RecordingNotifier, tempDir } from '../helpers/temp';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** The kinds these tests queue, with their payloads (the app's are in jobs/kinds.ts). */
interface TestJobs {
  work: { bad?: boolean; v?: number };
  embed: Record<string, never>;
}

const work = (key: string, payload: TestJobs['work'] = {}, priority = 0): JobRequest<TestJobs> => ({
  kind: 'work',
  key,
  payload,
  priority,
});

function setup(): { file: string; db: Db; queue: JobQueue<TestJobs>; notifier: RecordingNotifier } {
  const t = tempDir();
  const file = join(t.dir, 'library.db');
  const db = openDatabase(file);
  const notifier = new RecordingNotifier();
  const queue = new JobQueue<TestJobs>(db, notifier);
  cleanups.push(() => {
    db.close();
    t.cleanup();
  });
  return { file, db, queue, notifier };
}

describe('JobQueue', () => {
  it('runs jobs by priority, then in order of arrival', async () => {
    const { queue } = setup();
    const ran: string[] = [];
    queue.register('work', { label: 'Working' }, async (job) => {
      ran.push(job.key);
      return { status: 'done' };
    });
    queue.enqueue(work('a', {}, 0));
    queue.enqueue(work('b', {}, 0));
    queue.enqueue(work('c', {}, 50));
    queue.enqueue(work('a', {}, 100)); // raised: the user is looking at it
    queue.start();
    await queueIdle(queue);
    expect(ran).toEqual(['a', 'c', 'b']);
  });

  it('runs a kind marked afterOthers only once every other kind has nothing left', async () => {
    const { queue } = setup();
    const log: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    queue.register('work', { label: 'Working', concurrency: 1 }, async (job) => {
      log.push(`work ${job.key}`);
      if (job.key === 'w1') await held;
      return { status: 'done' };
    });
    queue.registerBatch('embed', { label: 'Later', batchSize: 10, afterOthers: true }, async (jobs) => {
      log.push(`later ${jobs.map((j) => j.key).join(',')}`);
      return jobs.map(() => ({ status: 'done' as const }));
    });
    queue.enqueue(work('w1'));
    queue.enqueue({ kind: 'embed', key: 'e1', payload: {}, priority: 100 });
    queue.enqueue(work('w2'));
    queue.start();
    // w1 is held: the later kind, though its job came first by priority, waits.
    await new Promise((r) => setTimeout(r, 50));
    expect(log).toEqual(['work w1']);
    queue.enqueue({ kind: 'embed', key: 'e2', payload: {}, priority: 0 });
    release();
    await queueIdle(queue);
    // Both later jobs ran as one batch, after the last of the other kind's work.
    expect(log).toEqual(['work w1', 'work w2', 'later e1,e2']);
  });

  it('keeps pending jobs across a crash and runs interrupted ones again', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const file = join(t.dir, 'library.db');
    const db1 = openDatabase(file);
    const q1 = new JobQueue<TestJobs>(db1, new RecordingNotifier());
    let release!: () => void;
    const blocked = new Promise<void>((r) => {
      release = r;
    });
    q1.register('work', { label: 'Working' }, async () => {
      await blocked;
      return { status: 'done' };
    });
    q1.enqueueMany(['x', 'y', 'z'].map((key) => work(key)));
    q1.start();
    await new Promise((r) => setTimeout(r, 50));
    // "Crash": the database is closed with a job still marked running.
    db1.close();
    release();

    const db2 = openDatabase(file);
    cleanups.push(() => db2.close());
    const q2 = new JobQueue<TestJobs>(db2, new RecordingNotifier());
    const ran: string[] = [];
    q2.register('work', { label: 'Working' }, async (job) => {
      ran.push(job.key);
      return { status: 'done' };
    });
    q2.start();
    await queueIdle(q2);
    expect(ran.sort()).toEqual(['x', 'y', 'z']);
    expect((db2.prepare('SELECT count(*) AS n FROM jobs').get() as { n: number }).n).toBe(0);
  });

  it('pauses and resumes, and remembers the pause', async () => {
    const { queue, db } = setup();
    const ran: string[] = [];
    queue.register('work', { label: 'Working' }, async (job) => {
      ran.push(job.key);
      return { status: 'done' };
    });
    queue.pause();
    queue.enqueue(work('a'));
    queue.start();
    await new Promise((r) => setTimeout(r, 50));
    expect(ran).toEqual([]);
    expect(new JobQueue(db, new RecordingNotifier()).paused).toBe(true);
    queue.resume();
    await queueIdle(queue);
    expect(ran).toEqual(['a']);
  });

  it('records failures with their reason and goes on', async () => {
    const { queue } = setup();
    queue.register('work', { label: 'Working' }, async (job) => {
      if (job.payload.bad) throw new Error('broken file');
      return { status: 'done' };
    });
    queue.enqueue(work('good'));
    queue.enqueue(work('bad', { bad: true }));
    queue.enqueue(work('good2'));
    queue.start();
    await queueIdle(queue);
    expect(queue.counts().work).toEqual({ pending: 0, running: 0, failed: 1 });
    expect(queue.retryFailed('work')).toBe(1);
  });

  it('runs a job once more when it is enqueued again while running', async () => {
    const { queue } = setup();
    const seen: (number | undefined)[] = [];
    let first = true;
    queue.register('work', { label: 'Working' }, async (job) => {
      seen.push(job.payload.v);
      if (first) {
        first = false;
        queue.enqueue(work('k', { v: 2 }));
      }
      return { status: 'done' };
    });
    queue.enqueue(work('k', { v: 1 }));
    queue.start();
    await queueIdle(queue);
    expect(seen).toEqual([1, 2]);
  });

  it('gives batches to batch handlers and reports progress', async () => {
    const { queue, notifier } = setup();
    const sizes: number[] = [];
    queue.registerBatch('embed', { label: 'Embedding', batchSize: 4 }, async (jobs) => {
      sizes.push(jobs.length);
      return jobs.map(() => ({ status: 'done' as const }));
    });
    queue.enqueueMany(Array.from({ length: 10 }, (_, i) => ({ kind: 'embed', key: String(i), payload: {} })));
    queue.start();
    await queueIdle(queue);
    expect(sizes).toEqual([4, 4, 2]);
    await new Promise((r) => setTimeout(r, 300));
    const shown = notifier.of('jobs:progress').at(-1);
    expect(shown?.paused).toBe(false);
    expect(shown?.progress.find((p) => p.kind === 'embed')).toMatchObject({ done: 10, total: 10 });
    // A little later the finished bar goes away: nothing stays "10 of 10" forever.
    await new Promise((r) => setTimeout(r, 1600));
    expect(notifier.of('jobs:progress').at(-1)?.progress).toEqual([]);
  });
});
