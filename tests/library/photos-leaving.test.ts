// A photo that leaves the library through Komorebi (the Duplicates view's "move to Trash")
// is forgotten exactly as a file deleted on disk is: its problems go, its photo becomes an
// orphan for garbage collection, and no look-alike group is made through it any more.
// Real ingest on a temp folder, a real SQLite file, the real trash handler.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildOfflineModel } from '../../scripts/models/build-offline-model';
import { EmbeddingPipeline } from '../../src/main/core/embed/embed-jobs';
import { defaultManifestDir } from '../../src/main/core/embed/manifest';
import { trashHandlers } from '../../src/main/core/handlers/trash';
import { GalleryQueries } from '../../src/main/core/library/gallery';
import { SimilarPhotos } from '../../src/main/core/search/similar';
import type { Photo } from '../../src/shared/model';
import { count, openTestLibrary, startAndSettle, type TestLibrary, writeImage } from '../ingest/helpers';

const DAY = 24 * 3600 * 1000;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

beforeAll(() => {
  buildOfflineModel();
});

/** A library of three photos, scanned; the OS trash is one that records and deletes. */
async function library(): Promise<{
  lib: TestLibrary;
  folderId: number;
  photos: Photo[];
  trashed: string[];
}> {
  const lib = await openTestLibrary();
  cleanups.push(() => lib.close());
  for (const [i, name] of ['a.jpg', 'b.jpg', 'c.jpg'].entries()) {
    await writeImage(join(lib.photos, name), { seed: i + 1 });
  }
  const folder = await lib.ingest.addFolder(lib.photos);
  await startAndSettle(lib);
  const photos = new GalleryQueries(lib.db)
    .list({}, 0, 10)
    .items.sort((x, y) => x.name.localeCompare(y.name));
  expect(photos.map((p) => p.name)).toEqual(['a.jpg', 'b.jpg', 'c.jpg']);
  return { lib, folderId: folder.id, photos, trashed: [] };
}

function trash(lib: TestLibrary, trashed: string[]) {
  return trashHandlers({
    gallery: new GalleryQueries(lib.db),
    ingest: lib.ingest,
    trashFiles: async (files) => {
      trashed.push(...files);
      for (const f of files) rmSync(f);
    },
  })['photos:trash'];
}

describe('a photo moved to the trash', () => {
  it('is forgotten as a deleted file is: its problems go and its photo is collected later', async () => {
    const { lib, folderId, photos, trashed } = await library();
    const [a] = photos;
    // A problem on the file, as the embedding pipeline records one.
    lib.db
      .prepare("INSERT INTO problems (path, kind, reason, at) VALUES (?, 'embedding', 'Could not index', ?)")
      .run(a!.path, Date.now());

    const result = await trash(lib, trashed)({ ids: [a!.id], confirmed: true });
    expect(result).toEqual({ trashed: 1, failed: [] });
    expect(trashed).toEqual([a!.path]);
    expect(new GalleryQueries(lib.db).get(a!.id)).toBeNull();
    expect(count(lib.db, 'SELECT count(*) AS n FROM problems WHERE path = ?', a!.path)).toBe(0);
    // The gallery hears which folder changed.
    expect(lib.notifier.of('library:changed').at(-1)).toMatchObject({ removed: 1, folderIds: [folderId] });
    // Its photo waits for the grace period (a move would keep it), then goes.
    const orphaned = lib.db.prepare('SELECT orphaned_at FROM photos WHERE hash = ?').pluck().get(a!.hash);
    expect(orphaned).toBeTypeOf('number');
    expect(await lib.ingest.collectOrphans(Date.now() + 15 * DAY)).toEqual([a!.hash]);
    expect(lib.ingest.listFolders()[0]?.photoCount).toBe(2);
  });

  it('never joins two other photos into a look-alike group', async () => {
    const { lib, photos, trashed } = await library();
    const [a, b, c] = photos as [Photo, Photo, Photo];
    const pipeline = new EmbeddingPipeline({
      db: lib.db,
      queue: lib.queue,
      notifier: lib.notifier,
      manifestDir: defaultManifestDir(),
      modelDirs: [defaultManifestDir()],
    });
    cleanups.push(() => pipeline.close());
    const model = pipeline.activeModel()!.id;
    // As the background look-alike scan leaves them: b looks like a and like c; a and c
    // do not look alike (their pair is below the threshold).
    const pair = lib.db.prepare('INSERT INTO near_pairs (model_id, a, b, score) VALUES (?, ?, ?, ?)');
    const sorted = (x: string, y: string) => (x < y ? [x, y] : [y, x]);
    pair.run(model, ...sorted(a.hash, b.hash), 0.95);
    pair.run(model, ...sorted(b.hash, c.hash), 0.94);
    pair.run(model, ...sorted(a.hash, c.hash), 0.6);
    const scanned = lib.db.prepare('INSERT INTO near_scanned (model_id, hash) VALUES (?, ?)');
    for (const p of photos) scanned.run(model, p.hash);
    const similar = new SimilarPhotos(lib.db, new GalleryQueries(lib.db), pipeline, null as never);

    const before = await similar.duplicates(0.9, 50);
    expect(before.map((g) => g.photos.map((p) => p.name).sort())).toEqual([['a.jpg', 'b.jpg', 'c.jpg']]);

    await trash(lib, trashed)({ ids: [b.id], confirmed: true });
    // a and c are not look-alikes: with b gone there is no group, and no suggestion names b.
    expect(await similar.duplicates(0.9, 50)).toEqual([]);
    expect((await similar.duplicates(0.5, 50)).map((g) => g.photos.map((p) => p.name).sort())).toEqual([
      ['a.jpg', 'c.jpg'],
    ]);

    // Forgotten for good after the grace period: its pairs and scan go with it.
    const gone = await lib.ingest.collectOrphans(Date.now() + 15 * DAY);
    expect(gone).toEqual([b.hash]);
    similar.forget(gone);
    const naming = 'SELECT count(*) AS n FROM near_pairs WHERE ? IN (a, b)';
    expect(count(lib.db, naming, b.hash)).toBe(0);
    expect(count(lib.db, 'SELECT count(*) AS n FROM near_scanned WHERE hash = ?', b.hash)).toBe(0);
    expect(count(lib.db, naming, a.hash)).toBe(1);
  });
});
