// The embedding pipeline as the app runs it: durable 'embed' jobs, the worker pool with the
// offline real-weights model, vectors in SQLite keyed by (content hash, model).
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildOfflineModel } from '../../scripts/models/build-offline-model';
import { type Core, createCore, dataPaths } from '../../src/main/core/app';
import { defaultManifestDir } from '../../src/main/core/embed/manifest';
import { openDatabase } from '../../src/main/core/library/db';
import { drawScene } from '../embed/helpers';
import { queueIdle } from '../helpers/queue';
import { waitUntilSettled } from '../helpers/settle';
import { RecordingNotifier, tempDir } from '../helpers/temp';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

beforeAll(() => {
  buildOfflineModel();
});

async function library(count: number): Promise<{ photos: string; data: string }> {
  const photos = tempDir('komorebi-photos-');
  const data = tempDir('komorebi-data-');
  cleanups.push(photos.cleanup, data.cleanup);
  for (let i = 0; i < count; i++) {
    writeFileSync(
      join(photos.dir, `p-${String(i).padStart(3, '0')}.jpg`),
      await sharp(await drawScene(900 + i, 256, 192))
        .jpeg()
        .toBuffer(),
    );
  }
  return { photos: photos.dir, data: data.dir };
}

async function open(dataDir: string, notifier = new RecordingNotifier()): Promise<Core> {
  const core = await createCore({ dataDir, shell: 'test', notifier });
  cleanups.push(() => core.close());
  return core;
}

/**
 * Adds the library's folder and pauses the queue as soon as ingest has listed its photos,
 * then waits `settleMs` for the embed sweep to queue them: nothing is embedded yet.
 */
async function addThenPause(core: Core, photos: string, count: number, timeoutMs: number, settleMs: number) {
  await core.handlers['jobs:pause']({});
  await core.handlers['folders:add']({ path: photos });
  await core.handlers['jobs:resume']({});
  const until = Date.now() + timeoutMs;
  while (
    (await core.handlers['photos:list']({ offset: 0, limit: 100 })).total < count &&
    Date.now() < until
  ) {
    await new Promise((r) => setTimeout(r, 20));
  }
  await core.handlers['jobs:pause']({});
  await new Promise((r) => setTimeout(r, settleMs));
}

function rows(dataDir: string, sql: string, ...args: unknown[]): unknown[] {
  const db = openDatabase(dataPaths(dataDir).database);
  try {
    return db.prepare(sql).all(...args);
  } finally {
    db.close();
  }
}

const count = (dataDir: string, sql: string, ...args: unknown[]) =>
  (rows(dataDir, sql, ...args)[0] as { n: number }).n;

describe('embedding pipeline', () => {
  it('embeds every photo once per model, a duplicate file once, and a corrupt file is reported', async () => {
    const lib = await library(5);
    copyFileSync(join(lib.photos, 'p-000.jpg'), join(lib.photos, 'copy-of-p-000.jpg'));
    // A JPEG cut in half: ingest may accept its header, the decoder in the worker fails.
    const whole = await sharp(await drawScene(77, 256, 192))
      .jpeg()
      .toBuffer();
    writeFileSync(join(lib.photos, 'broken.jpg'), whole.subarray(0, Math.floor(whole.length / 3)));
    const core = await open(lib.data);
    await core.handlers['folders:add']({ path: lib.photos });
    await waitUntilSettled(core);
    expect(
      count(lib.data, "SELECT count(*) AS n FROM embeddings WHERE model_id = 'mobilenet-v2-offline'"),
    ).toBe(5);
    expect(count(lib.data, 'SELECT count(*) AS n FROM embeddings WHERE dim = 1280')).toBe(5);
    // A fresh file that reads as broken is judged once it has stopped changing (a slow copy
    // is not a corrupt file), so the problem may come a few seconds later.
    const until = Date.now() + 20_000;
    let reported = false;
    while (!reported && Date.now() < until) {
      const problems = await core.handlers['library:problems']({ offset: 0, limit: 50 });
      reported = problems.items.some((p) => p.path.endsWith('broken.jpg'));
      if (!reported) await new Promise((r) => setTimeout(r, 200));
    }
    expect(reported).toBe(true);
    expect(count(lib.data, 'SELECT count(*) AS n FROM embeddings')).toBe(5);
  });

  it('pauses and resumes, and cancels what is waiting', async () => {
    const lib = await library(6);
    const core = await open(lib.data);
    await core.handlers['jobs:pause']({});
    await core.handlers['folders:add']({ path: lib.photos });
    await new Promise((r) => setTimeout(r, 800));
    expect(count(lib.data, 'SELECT count(*) AS n FROM embeddings')).toBe(0);
    const paused = await core.handlers['library:status']({});
    expect(paused.paused).toBe(true);

    await core.handlers['jobs:resume']({});
    await waitUntilSettled(core);
    expect(count(lib.data, 'SELECT count(*) AS n FROM embeddings')).toBe(6);

    // New photos while paused, then cancelled: nothing is embedded, the library stays usable.
    await core.handlers['jobs:pause']({});
    for (let i = 0; i < 3; i++) {
      writeFileSync(
        join(lib.photos, `late-${i}.jpg`),
        await sharp(await drawScene(700 + i, 256, 192))
          .jpeg()
          .toBuffer(),
      );
    }
    await core.handlers['jobs:resume']({});
    await new Promise((r) => setTimeout(r, 100));
    await core.handlers['jobs:pause']({});
    await new Promise((r) => setTimeout(r, 1500));
    const cancelled = await core.handlers['embeddings:cancel']({});
    // Nothing waits any more. (Photos whose files are added after this get their vector
    // queued as they arrive: a late file still being ingested is not cancelled work.)
    expect(count(lib.data, "SELECT count(*) AS n FROM jobs WHERE kind = 'embed' AND state = 'pending'")).toBe(
      0,
    );
    await core.handlers['jobs:resume']({});
    await new Promise((r) => setTimeout(r, 300));
    expect(
      cancelled.cancelled + count(lib.data, 'SELECT count(*) AS n FROM embeddings'),
    ).toBeGreaterThanOrEqual(6);
  });

  it('resumes after a crash mid-run: nothing lost, nothing embedded twice', async () => {
    const lib = await library(24);
    const first = await open(lib.data);
    await first.handlers['folders:add']({ path: lib.photos });
    // Wait until some, not all, vectors exist, then "crash": close without letting the queue drain.
    const until = Date.now() + 60_000;
    while (count(lib.data, 'SELECT count(*) AS n FROM embeddings') === 0 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const before = rows(lib.data, 'SELECT hash, seq FROM embeddings') as { hash: string; seq: number }[];
    await first.close();
    expect(before.length).toBeGreaterThan(0);

    const second = await open(lib.data);
    await waitUntilSettled(second);
    const after = rows(lib.data, 'SELECT hash, seq FROM embeddings') as { hash: string; seq: number }[];
    expect(after).toHaveLength(24);
    expect(new Set(after.map((r) => r.hash)).size).toBe(24);
    // What was finished before the crash was not redone: same rows, same sequence numbers.
    for (const b of before) expect(after.find((a) => a.hash === b.hash)?.seq).toBe(b.seq);
  });

  it('embeds what the user is looking at first', async () => {
    const lib = await library(30);
    const core = await open(lib.data);
    // Let ingest finish but keep embedding from starting.
    await addThenPause(core, lib.photos, 30, 60_000, 1200);
    // Photos whose job is still waiting: a batch that started before the pause runs to its
    // end, and a running job cannot jump the queue (it is not in line any more).
    const queued = new Set(
      (
        rows(lib.data, "SELECT key FROM jobs WHERE kind = 'embed' AND state = 'pending'") as { key: string }[]
      ).map((r) => r.key.split(':')[1]),
    );
    const page = await core.handlers['photos:list']({ offset: 0, limit: 100 });
    const waiting = page.items.filter((p) => queued.has(p.hash));
    const visible = waiting.slice(-2);
    await core.handlers['photos:visible']({ ids: visible.map((p) => p.id) });
    const next = rows(
      lib.data,
      "SELECT key FROM jobs WHERE kind = 'embed' AND state = 'pending' ORDER BY priority DESC, id LIMIT 2",
    ) as { key: string }[];
    expect(next.map((r) => r.key.split(':')[1]).sort()).toEqual(visible.map((p) => p.hash).sort());
    await core.handlers['jobs:resume']({});
  });

  it('re-embeds in the background after a model switch and never mixes models', async () => {
    const lib = await library(4);
    // A second model: the offline model's file under another id, as a user's import would be.
    const manifests = tempDir('komorebi-manifests-');
    cleanups.push(manifests.cleanup);
    const offline = JSON.parse(
      (await import('node:fs')).readFileSync(join(defaultManifestDir(), 'mobilenet-v2-offline.json'), 'utf8'),
    );
    writeFileSync(join(manifests.dir, 'mobilenet-v2-offline.json'), JSON.stringify(offline));
    writeFileSync(
      join(manifests.dir, 'second.json'),
      JSON.stringify({ ...offline, id: 'second-model', displayName: 'Second' }),
    );
    const core = await createCore({
      dataDir: lib.data,
      shell: 'test',
      notifier: new RecordingNotifier(),
      manifestDir: manifests.dir,
      modelDirs: [defaultManifestDir()],
    });
    cleanups.push(() => core.close());
    await core.handlers['folders:add']({ path: lib.photos });
    await waitUntilSettled(core);
    await core.handlers['models:use']({ id: 'second-model' });
    await waitUntilSettled(core);
    const byModel = rows(
      lib.data,
      'SELECT model_id AS id, count(*) AS n FROM embeddings GROUP BY model_id',
    ) as {
      id: string;
      n: number;
    }[];
    expect(byModel).toEqual([
      { id: 'mobilenet-v2-offline', n: 4 },
      { id: 'second-model', n: 4 },
    ]);
    const status = await core.handlers['vectors:status']({});
    expect(status).toMatchObject({ model: 'second-model', expected: 4, outbox: 0 });
    const page = await core.handlers['photos:list']({ offset: 0, limit: 10 });
    const similar = await core.handlers['photos:similar']({ id: page.items[0]!.id, k: 10, minScore: 0 });
    expect(similar.model).toBe('second-model');
    expect(similar.hits).toHaveLength(3);
  });
});

describe('find similar on a photo without a vector', () => {
  it('queues it again when its job was cancelled, and answers once it is indexed', async () => {
    const lib = await library(3);
    const core = await open(lib.data);
    await addThenPause(core, lib.photos, 3, 30_000, 1000);
    await core.handlers['embeddings:cancel']({});
    const page = await core.handlers['photos:list']({ offset: 0, limit: 10 });
    const photo = page.items.find(
      (p) => count(lib.data, 'SELECT count(*) AS n FROM embeddings WHERE hash = ?', p.hash) === 0,
    );
    expect(photo).toBeDefined();
    const first = await core.handlers['photos:similar']({ id: photo!.id, k: 5, minScore: 0 });
    expect(first.notIndexed).toBe(true);
    await core.handlers['jobs:resume']({});
    await waitUntilSettled(core, { everyPhotoIndexed: false }); // the others stay cancelled
    const second = await core.handlers['photos:similar']({ id: photo!.id, k: 5, minScore: 0 });
    expect(second.notIndexed).toBe(false);
  });
});

describe('embedding pipeline failures', () => {
  it('records a photo that cannot be decoded in Activity and embeds the rest', async () => {
    const { EmbeddingPipeline } = await import('../../src/main/core/embed/embed-jobs');
    const { JobQueue } = await import('../../src/main/core/jobs/queue');
    const lib = await library(3);
    const db = openDatabase(dataPaths(lib.data).database);
    cleanups.push(() => {
      db.close();
    });
    const notifier = new RecordingNotifier();
    const queue = new JobQueue(db, notifier);
    // Rows as ingest leaves them; the third file was replaced on disk by bytes that are no
    // image after it was ingested (the decoder in the worker is the one to find out).
    const now = Date.now();
    db.prepare("INSERT INTO folders (id, path, added_at, status) VALUES (1, ?, ?, 'watching')").run(
      lib.photos,
      now,
    );
    const names = ['p-000.jpg', 'p-001.jpg', 'p-002.jpg'];
    names.forEach((name, i) => {
      const hash = String(i).repeat(64);
      db.prepare("INSERT INTO photos (hash, size, created_at, thumb_state) VALUES (?, 1, ?, 'done')").run(
        hash,
        now,
      );
      db.prepare(
        "INSERT INTO files (folder_id, path, hash, size, mtime, status, sort_date, added_at, updated_at) VALUES (1, ?, ?, 1, ?, 'ok', ?, ?, ?)",
      ).run(join(lib.photos, name), hash, now, now, now, now);
    });
    writeFileSync(join(lib.photos, 'p-002.jpg'), 'these bytes are not an image');
    const pipeline = new EmbeddingPipeline({
      db,
      queue,
      notifier,
      manifestDir: defaultManifestDir(),
      modelDirs: [defaultManifestDir()],
    });
    cleanups.push(() => pipeline.close());
    expect(pipeline.sweep()).toBe(3);
    queue.start();
    await queueIdle(queue);
    expect(count(lib.data, 'SELECT count(*) AS n FROM embeddings')).toBe(2);
    const problem = db.prepare("SELECT path, reason FROM problems WHERE kind = 'embedding'").get() as {
      path: string;
      reason: string;
    };
    expect(problem.path).toBe(join(lib.photos, 'p-002.jpg'));
    expect(problem.reason).toMatch(/Could not index this photo/);
    expect(notifier.of('activity:problem').some((p) => p.kind === 'embedding')).toBe(true);
    expect(queue.counts().embed).toEqual({ pending: 0, running: 0, failed: 1 });
    // Find similar on it says why, instead of "still being indexed" forever.
    const { GalleryQueries } = await import('../../src/main/core/library/gallery');
    const { SimilarPhotos } = await import('../../src/main/core/search/similar');
    const broken = db.prepare('SELECT id FROM files WHERE path LIKE ?').pluck().get('%p-002.jpg') as number;
    const similar = new SimilarPhotos(db, new GalleryQueries(db), pipeline, null as never);
    await expect(similar.similar(broken, { k: 5, minScore: 0 })).rejects.toThrow(/could not be indexed/);
    // A second sweep does not queue the failed photo again and again: it does not even hand it to the queue.
    expect(pipeline.sweep()).toBe(0);
    expect(queue.counts().embed).toEqual({ pending: 0, running: 0, failed: 1 });
  });
});
