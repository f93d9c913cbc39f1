import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobRequest } from '../../src/main/core/jobs/kinds';
import { JobQueue } from '../../src/main/core/jobs/queue';
import { openDatabase } from '../../src/main/core/library/db';
import { queueIdle } from '../helpers/queue';
import { RecordingNotifier, tempDir } from '../helpers/temp';

interface TestJobs {
  work: Record<string, never>;
}
const work = (key: string): JobRequest<TestJobs> => ({ kind: 'work', key, payload: {} });

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function file(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return join(t.dir, 'library.db');
}

describe('a job the app keeps crashing under', () => {
  it('after running during 3 crashes it is set aside with its reason, and Retry runs it again', async () => {
    const path = file();
    // Three "crashes": each start claims the job, and the process dies (the database is closed under it).
    for (let crash = 0; crash < 3; crash++) {
      const db = openDatabase(path);
      const queue = new JobQueue<TestJobs>(db, new RecordingNotifier());
      let started!: () => void;
      const running = new Promise<void>((r) => {
        started = r;
      });
      queue.register('work', { label: 'Working' }, () => {
        started();
        return new Promise(() => {}); // never ends: the process dies first
      });
      if (crash === 0) queue.enqueue(work('crashy.jpg'));
      queue.start();
      await running;
      db.close();
    }
    const db = openDatabase(path);
    cleanups.push(() => db.close());
    const queue = new JobQueue<TestJobs>(db, new RecordingNotifier());
    const ran: string[] = [];
    queue.register('work', { label: 'Working' }, async (job) => {
      ran.push(job.key);
      return { status: 'done' };
    });
    queue.enqueue(work('fine.jpg'));
    queue.start();
    await queueIdle(queue);
    expect(ran).toEqual(['fine.jpg']); // not the crashy one, which would crash the app again
    expect(queue.failedJobs()).toEqual([
      { kind: 'work', key: 'crashy.jpg', reason: expect.stringMatching(/stopped 3 times .*Retry/) },
    ]);
    expect(queue.retryFailed()).toBe(1);
    await queueIdle(queue);
    expect(ran).toEqual(['fine.jpg', 'crashy.jpg']);
    expect(queue.failedJobs()).toEqual([]);
  });
});

describe('jobs running when the app was killed from outside', () => {
  it('wait until the rest is done and then run alone: kills while work remains never set one aside', async () => {
    const path = file();
    const keys = Array.from({ length: 10 }, (_, i) => `photo-${i}.jpg`);
    const claimedPerStart: string[][] = [];
    // Four kills, each while the first two jobs it started are running (two at a time).
    for (let kill = 0; kill < 4; kill++) {
      const db = openDatabase(path);
      const queue = new JobQueue<TestJobs>(db, new RecordingNotifier());
      const claimed: string[] = [];
      let twoRunning!: () => void;
      const running = new Promise<void>((r) => {
        twoRunning = r;
      });
      queue.register('work', { label: 'Working', concurrency: 2 }, (job) => {
        claimed.push(job.key);
        if (claimed.length === 2) twoRunning();
        return new Promise(() => {}); // killed before it ends
      });
      if (kill === 0) queue.enqueueMany(keys.map(work));
      queue.start();
      await running;
      claimedPerStart.push(claimed);
      db.close();
    }
    // Each start took work nobody had been killed under.
    expect(claimedPerStart).toEqual([0, 2, 4, 6].map((i) => keys.slice(i, i + 2)));

    const db = openDatabase(path);
    cleanups.push(() => db.close());
    const queue = new JobQueue<TestJobs>(db, new RecordingNotifier());
    const ran: { key: string; alongside: number }[] = [];
    let inFlight = 0;
    queue.register('work', { label: 'Working', concurrency: 2 }, async (job) => {
      inFlight++;
      ran.push({ key: job.key, alongside: inFlight - 1 });
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return { status: 'done' };
    });
    queue.start();
    await queueIdle(queue);
    expect(queue.failedJobs()).toEqual([]);
    // The untouched ones first; then each one a kill hit, with nothing else running.
    expect(ran.map((r) => r.key)).toEqual([...keys.slice(8), ...keys.slice(0, 8)]);
    expect(ran.slice(2).every((r) => r.alongside === 0)).toBe(true);
  });
});

describe('a job that failed for a reason outside its input', () => {
  it('is tried again with a delay until it succeeds; a failure about its input fails at once', async () => {
    const db = openDatabase(file());
    cleanups.push(() => db.close());
    const queue = new JobQueue<TestJobs>(db, new RecordingNotifier());
    const tries: Record<string, number> = {};
    queue.register('work', { label: 'Working' }, async (job) => {
      tries[job.key] = (tries[job.key] ?? 0) + 1;
      if (job.key === 'corrupt.jpg')
        return { status: 'failed', reason: 'The image data is truncated or corrupt' };
      if (tries[job.key]! < 3) return { status: 'failed', reason: 'ENOSPC: no space left on device, write' };
      return { status: 'done' };
    });
    queue.enqueue(work('thumb.jpg'));
    queue.enqueue(work('corrupt.jpg'));
    queue.start();
    await queueIdle(queue);
    expect(tries).toEqual({ 'thumb.jpg': 3, 'corrupt.jpg': 1 });
    expect(queue.failedJobs().map((j) => j.key)).toEqual(['corrupt.jpg']);
  });
});
