// Attack: plant a symlink in a watched (synced) folder that points at a private file or folder
// outside it, and get its preview, its vector or its bytes through the window. Originals behind
// such links were refused by the media route; previews and embeddings were made anyway.
import { existsSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOfflineModel } from '../../scripts/models/build-offline-model';
import { EmbeddingPipeline } from '../../src/main/core/embed/embed-jobs';
import { defaultManifestDir } from '../../src/main/core/embed/manifest';
import { hashFile } from '../../src/main/core/ingest/hash';
import { thumbFiles } from '../../src/main/core/ingest/thumbnails';
import { jobs } from '../../src/main/core/jobs/kinds';
import { OUTSIDE_ROOT_REASON, resolveMediaPath } from '../../src/main/core/media';
import type { PhotoPage } from '../../src/shared/model';
import { queueIdle } from '../helpers/queue';
import { waitUntilSettled } from '../helpers/settle';
import {
  FAST,
  fileRow,
  openTestLibrary,
  startAndSettle,
  type TestLibrary,
  waitFor,
  writeImage,
} from '../ingest/helpers';
import { send } from '../server/helpers';
import { type BrowserCore, startBrowserCore } from './browser-core';

let app: BrowserCore;
let photos: string;
let privateDir: string;
const secret: Record<string, string> = {};

async function listed(): Promise<PhotoPage> {
  return JSON.parse((await app.call('photos:list', { limit: 100 })).text) as PhotoPage;
}

function rows(sql: string): unknown[] {
  const db = new Database(join(app.dataDir, 'library.db'), { readonly: true });
  try {
    return db.prepare(sql).pluck().all();
  } finally {
    db.close();
  }
}

/** Nothing of this content is in the library: no photo, no file, no preview on disk or served, no vector. */
async function expectNothingOf(hash: string): Promise<void> {
  expect(rows('SELECT hash FROM photos')).not.toContain(hash);
  expect(rows('SELECT hash FROM files WHERE hash IS NOT NULL')).not.toContain(hash);
  expect(rows('SELECT hash FROM embeddings')).not.toContain(hash);
  const thumbsDir = join(app.dataDir, 'thumbs');
  for (const file of Object.values(thumbFiles(thumbsDir, hash, 'jpeg'))) {
    expect(existsSync(file)).toBe(false);
    const served = await send(
      app.server.port,
      `/media/thumbs/${relative(thumbsDir, file)}?token=${app.token}`,
    );
    expect(served.status).toBe(404);
  }
}

beforeAll(async () => {
  buildOfflineModel();
  app = await startBrowserCore();
  photos = join(app.root, 'Photos');
  privateDir = join(app.root, 'private');
  await writeImage(join(photos, 'own.jpg'), { seed: 1 });
  await writeImage(join(photos, 'sub', 'two.jpg'), { seed: 2 });
  secret.file = await hashFile(await writeImage(join(privateDir, 'secret.jpg'), { seed: 101 }));
  secret.album = await hashFile(await writeImage(join(privateDir, 'album', 'a.jpg'), { seed: 102 }));
  secret.late = await hashFile(await writeImage(join(privateDir, 'late.jpg'), { seed: 103 }));
  symlinkSync(join(privateDir, 'secret.jpg'), join(photos, 'secret-link.jpg'));
  symlinkSync(join(privateDir, 'album'), join(photos, 'album-link'));
  symlinkSync(join(photos, 'sub', 'two.jpg'), join(photos, 'inside-link.jpg'));
  const added = await app.call('folders:add', { path: photos });
  expect(added.status).toBe(200);
  await waitUntilSettled(app.core);
}, 120_000);
afterAll(() => app?.close());

describe('links out of a watched folder, where files enter the library (scan, watch)', () => {
  it('the scan takes the photos inside and a link to a file inside, nothing behind links that lead out', async () => {
    const page = await listed();
    expect(page.items.map((p) => relative(photos, p.path)).sort()).toEqual([
      'inside-link.jpg',
      'own.jpg',
      'sub/two.jpg',
    ]);
    expect(rows('SELECT count(*) FROM embeddings')).toEqual([2]);
    await expectNothingOf(secret.file!);
    await expectNothingOf(secret.album!);
  });

  it('a link planted later is ignored by the watcher, while a photo dropped beside it arrives', async () => {
    symlinkSync(join(privateDir, 'late.jpg'), join(photos, 'late-link.jpg'));
    await writeImage(join(photos, 'new.jpg'), { seed: 3 });
    await waitFor(
      async () => (await listed()).items.some((p) => p.name === 'new.jpg'),
      'new.jpg listed',
      30_000,
    );
    await waitUntilSettled(app.core);
    expect((await listed()).items.map((p) => p.name)).not.toContain('late-link.jpg');
    await expectNothingOf(secret.late!);
  });

  it('a link inside that is pointed outside leaves the library', async () => {
    rmSync(join(photos, 'inside-link.jpg'));
    symlinkSync(join(privateDir, 'secret.jpg'), join(photos, 'inside-link.jpg'));
    await waitFor(
      async () => !(await listed()).items.some((p) => p.name === 'inside-link.jpg'),
      'the retargeted link forgotten',
      30_000,
    );
    await waitUntilSettled(app.core);
    await expectNothingOf(secret.file!);
    // The media route refuses the original behind it too (it always did).
    const original = await send(app.server.port, `/media/folder/1/inside-link.jpg?token=${app.token}`);
    expect(original.status).toBe(404);
  });
});

describe('where files are read (ingest, thumbnails, embeddings): a link swapped after the scan', () => {
  let lib: TestLibrary;
  let outsideHash: string;
  beforeAll(async () => {
    // The watcher polls so rarely that it never sees the swaps: only the checks at read time stand.
    lib = await openTestLibrary({
      usePolling: true,
      timings: { ...FAST.timings, pollIntervalMs: 3_600_000 },
    });
    await writeImage(join(lib.photos, 'kept.jpg'), { seed: 7 });
    outsideHash = await hashFile(await writeImage(join(lib.root, 'outside', 'private.jpg'), { seed: 8 }));
    await lib.ingest.addFolder(lib.photos);
    await startAndSettle(lib);
  }, 60_000);
  afterAll(() => lib?.close());

  const swapForLink = (name: string) => {
    rmSync(join(lib.photos, name), { force: true });
    symlinkSync(join(lib.root, 'outside', 'private.jpg'), join(lib.photos, name));
  };

  it('ingest refuses a queued file that is now a link leading out, and says why', async () => {
    swapForLink('queued.jpg');
    lib.queue.enqueue(jobs.ingestFile(join(lib.photos, 'queued.jpg'), 1));
    await queueIdle(lib.queue);
    expect(fileRow(lib.db, join(lib.photos, 'queued.jpg'))).toMatchObject({
      status: 'bad',
      error: OUTSIDE_ROOT_REASON,
    });
    expect(lib.db.prepare('SELECT count(*) FROM photos WHERE hash = ?').pluck().get(outsideHash)).toBe(0);
    expect(existsSync(thumbFiles(lib.thumbsDir, outsideHash, 'jpeg').small)).toBe(false);
  });

  it('the thumbnail job refuses to remake a preview from a copy that now leads out', async () => {
    const hash = fileRow(lib.db, join(lib.photos, 'kept.jpg'))!.hash!;
    const thumbs = thumbFiles(lib.thumbsDir, hash, 'jpeg');
    rmSync(thumbs.small);
    rmSync(thumbs.large);
    swapForLink('kept.jpg');
    lib.queue.enqueue(jobs.thumbnail(hash));
    await queueIdle(lib.queue);
    expect(existsSync(thumbs.small)).toBe(false);
    expect(existsSync(thumbs.large)).toBe(false);
    const problems = lib.db.prepare("SELECT reason FROM problems WHERE kind = 'thumbnail'").pluck().all();
    expect(problems).toContain(OUTSIDE_ROOT_REASON);
  });

  it('the embedding job reads no copy that leads out, and embeds it once it is a file inside again', async () => {
    buildOfflineModel();
    const manifestDir = defaultManifestDir();
    const pipeline = new EmbeddingPipeline({
      db: lib.db,
      queue: lib.queue,
      notifier: lib.notifier,
      manifestDir,
      modelDirs: [manifestDir],
    });
    try {
      const hash = fileRow(lib.db, join(lib.photos, 'kept.jpg'))!.hash!;
      const vectors = () =>
        lib.db.prepare('SELECT count(*) FROM embeddings WHERE hash = ?').pluck().get(hash);
      pipeline.sweep();
      await queueIdle(lib.queue);
      expect(vectors()).toBe(0);
      // The control: the same job with the real photo back in place does embed it.
      rmSync(join(lib.photos, 'kept.jpg'));
      await writeImage(join(lib.photos, 'kept.jpg'), { seed: 7 });
      pipeline.sweep();
      await waitFor(() => vectors() === 1, 'the photo embedded', 60_000);
    } finally {
      await pipeline.close();
    }
  }, 90_000);

  it('a watched folder replaced by a link to elsewhere is offline: nothing under it is read or served', async () => {
    renameSync(lib.photos, `${lib.photos}-moved`);
    symlinkSync(join(lib.root, 'outside'), lib.photos);
    const roots = { thumbs: lib.thumbsDir, studio: lib.thumbsDir, folders: new Map([[1, lib.photos]]) };
    expect(await resolveMediaPath('folder/1/private.jpg', roots)).toBeNull();
    lib.ingest.rescan(1);
    await waitFor(() => lib.ingest.listFolders()[0]?.status === 'offline', 'the folder offline');
    await queueIdle(lib.queue);
    expect(lib.db.prepare('SELECT count(*) FROM photos WHERE hash = ?').pluck().get(outsideHash)).toBe(0);
  });
});
