// The embedding sweep after a library change looks only at the files written since the last
// sweep (an import of 100,000 files used to read the whole library every 500 ms); a folder
// scanned or back online, a start or a model switch still look at every photo.
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildOfflineModel } from '../../scripts/models/build-offline-model';
import { EmbeddingPipeline } from '../../src/main/core/embed/embed-jobs';
import { MISSING_SINCE_SQL } from '../../src/main/core/embed/embedding-rows';
import { defaultManifestDir } from '../../src/main/core/embed/manifest';
import { JobQueue } from '../../src/main/core/jobs/queue';
import { type Db, openDatabase } from '../../src/main/core/library/db';
import { RecordingNotifier, tempDir } from '../helpers/temp';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
beforeAll(() => {
  buildOfflineModel();
});

function setup(): {
  db: Db;
  queue: JobQueue;
  pipeline: EmbeddingPipeline;
  addFile: (i: number, at: number) => void;
} {
  const t = tempDir();
  const db = openDatabase(join(t.dir, 'library.db'));
  const queue = new JobQueue(db, new RecordingNotifier());
  const pipeline = new EmbeddingPipeline({
    db,
    queue,
    notifier: new RecordingNotifier(),
    manifestDir: defaultManifestDir(),
    modelDirs: [defaultManifestDir()],
  });
  cleanups.push(
    t.cleanup,
    () => void db.close(),
    () => pipeline.close(),
  );
  db.prepare("INSERT INTO folders (id, path, added_at, status) VALUES (1, '/photos', 0, 'watching')").run();
  const photo = db.prepare(
    "INSERT INTO photos (hash, size, created_at, thumb_state) VALUES (?, 1, ?, 'done')",
  );
  const file = db.prepare(
    "INSERT INTO files (folder_id, path, hash, size, mtime, status, sort_date, added_at, updated_at) VALUES (1, ?, ?, 1, 0, 'ok', 0, ?, ?)",
  );
  const addFile = (i: number, at: number) => {
    const hash = String(i).padStart(64, '0');
    photo.run(hash, at);
    file.run(`/photos/${i}.jpg`, hash, at, at);
  };
  return { db, queue, pipeline, addFile };
}

const waiting = (queue: JobQueue) => queue.counts().embed?.pending ?? 0;

describe('the embedding sweep', () => {
  it('after a library change, queues only photos whose files were written since the last sweep', () => {
    const { queue, pipeline, addFile } = setup();
    const longAgo = Date.now() - 60_000;
    for (let i = 0; i < 5; i++) addFile(i, longAgo);
    expect(pipeline.sweep()).toBe(5);
    // Cancelled by the user: a later change elsewhere does not bring these back.
    pipeline.cancel();
    addFile(5, Date.now());
    expect(pipeline.sweep(0, true)).toBe(1);
    expect(waiting(queue)).toBe(1);
    expect(pipeline.sweep(0, true)).toBe(0);
    // The whole library, as after a scan: the cancelled ones are missing again.
    expect(pipeline.sweep()).toBe(5);
    expect(waiting(queue)).toBe(6);
  });

  it('looks at the whole library once a folder was scanned, within a moment', async () => {
    const { queue, pipeline, addFile } = setup();
    for (let i = 0; i < 3; i++) addFile(i, Date.now() - 60_000);
    pipeline.sweep();
    pipeline.cancel();
    pipeline.scheduleSweep(); // a library change: nothing new was written
    pipeline.scheduleSweep(true); // and a folder scanned, coalesced into the same sweep
    const until = Date.now() + 30_000;
    while (waiting(queue) < 3 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(waiting(queue)).toBe(3);
  });

  it('reads the changed files from their index, not every file of the library', () => {
    const { db } = setup();
    const steps = (
      db.prepare(`EXPLAIN QUERY PLAN ${MISSING_SINCE_SQL}`).all({ model: 'm', since: 0 }) as {
        detail: string;
      }[]
    ).map((r) => r.detail);
    expect(steps[0]).toBe('SEARCH f USING INDEX files_changed (updated_at>?)');
  });
});
