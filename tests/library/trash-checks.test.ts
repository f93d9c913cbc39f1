// The Trash acts on the photo the user saw, not on a path: a file changed since it was
// listed, one whose real path left its watched folder, or one that is the same file on disk
// as a name the library keeps (a link, a hard link), is not moved. One file under two names
// is one photo, never "exact duplicates" of itself. Real ingest on temp folders, real SQLite.
import {
  copyFileSync,
  existsSync,
  linkSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EmbeddingPipeline } from '../../src/main/core/embed/embed-jobs';
import { trashHandlers } from '../../src/main/core/handlers/trash';
import { GalleryQueries } from '../../src/main/core/library/gallery';
import { SimilarPhotos } from '../../src/main/core/search/similar';
import type { Photo } from '../../src/shared/model';
import { canMount, runInNamespace } from '../faults/harness/namespace';
import { tempDir } from '../helpers/temp';
import { openTestLibrary, startAndSettle, type TestLibrary, writeImage } from '../ingest/helpers';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function library(): Promise<TestLibrary> {
  const lib = await openTestLibrary();
  cleanups.push(() => lib.close());
  return lib;
}

/** Exact duplicates only: no model is installed, so no look-alike pairs are looked for. */
const noModel = { activeModel: () => null } as unknown as EmbeddingPipeline;
const duplicates = (lib: TestLibrary) =>
  new SimilarPhotos(lib.db, new GalleryQueries(lib.db), noModel, null as never).duplicates(0.9, 50);

/** The Trash of the app, on a trash that records and deletes (rm of a link removes the link). */
function trash(lib: TestLibrary) {
  const trashed: string[] = [];
  const handler = trashHandlers({
    gallery: new GalleryQueries(lib.db),
    ingest: lib.ingest,
    trashFiles: async (files) => {
      for (const f of files) rmSync(f);
      trashed.push(...files);
    },
  })['photos:trash'];
  return {
    trashed,
    trash: (photos: Photo[]) =>
      handler({ ids: photos.map((p) => p.id), hashes: photos.map((p) => p.hash), confirmed: true }),
  };
}

/** What the Duplicates view suggests moving to the Trash: every copy but the one to keep. */
async function suggested(lib: TestLibrary): Promise<Photo[]> {
  return (await duplicates(lib)).flatMap((g) => g.photos.filter((p) => p.id !== g.keepId));
}

const photosOf = (lib: TestLibrary) =>
  new GalleryQueries(lib.db).list({}, 0, 100).items.sort((a, b) => a.path.localeCompare(b.path));

describe('before a file goes to the Trash', () => {
  it('A/link -> B with both folders watched: trashing the suggested copy leaves the file', async () => {
    const lib = await library();
    const a = join(lib.photos, 'A');
    const b = join(lib.photos, 'B');
    await writeImage(join(b, 'beach.jpg'), { seed: 3 });
    await writeImage(join(a, 'own.jpg'), { seed: 4 });
    symlinkSync(b, join(a, 'link'));
    await lib.ingest.addFolder(a);
    await lib.ingest.addFolder(b);
    await startAndSettle(lib);
    const { trash: trashIt } = trash(lib);
    await trashIt(await suggested(lib)).catch(() => undefined);
    expect(existsSync(join(b, 'beach.jpg'))).toBe(true);
    expect(await duplicates(lib)).toEqual([]);
  });

  it('a link and its target in one folder are one photo: never duplicates, and the target is not trashed alone', async () => {
    const lib = await library();
    const real = await writeImage(join(lib.photos, 'IMG_0001.jpg'), { seed: 5 });
    symlinkSync(real, join(lib.photos, 'favourite.jpg'));
    linkSync(real, join(lib.photos, 'hard-link.jpg'));
    await writeImage(join(lib.photos, 'other.jpg'), { seed: 6 });
    await lib.ingest.addFolder(lib.photos);
    await startAndSettle(lib);
    const rows = photosOf(lib);
    expect(rows).toHaveLength(4);
    expect(await duplicates(lib)).toEqual([]);

    const { trash: trashIt, trashed } = trash(lib);
    const target = rows.find((p) => p.name === 'IMG_0001.jpg')!;
    const result = await trashIt([target]);
    expect(result.trashed).toBe(0);
    expect(result.failed[0]!.reason).toMatch(/same file on disk as .*(favourite|hard-link)\.jpg/);
    expect(trashed).toEqual([]);
    expect(readFileSync(join(lib.photos, 'favourite.jpg'))).toEqual(readFileSync(real));
  });

  it('a real second copy is an exact duplicate, shown once per file: the name of a file with a link is kept', async () => {
    const lib = await library();
    const real = await writeImage(join(lib.photos, 'a', 'IMG_0002.jpg'), { seed: 7 });
    symlinkSync(real, join(lib.photos, 'a', 'alias.jpg'));
    copyFileSync(real, join(lib.photos, 'b-copy.jpg'));
    await lib.ingest.addFolder(lib.photos);
    await startAndSettle(lib);
    const groups = await duplicates(lib);
    expect(groups).toHaveLength(1);
    const names = groups[0]!.photos.map((p) => p.name).sort();
    expect(names).toEqual(['IMG_0002.jpg', 'b-copy.jpg']);
    expect(groups[0]!.photos.find((p) => p.id === groups[0]!.keepId)!.name).toBe('IMG_0002.jpg');
    const { trash: trashIt } = trash(lib);
    expect(await trashIt(await suggested(lib))).toEqual({ trashed: 1, failed: [] });
    expect(existsSync(join(lib.photos, 'b-copy.jpg'))).toBe(false);
    expect(existsSync(real)).toBe(true);
    // The trashed copy is never suggested again.
    expect(await duplicates(lib)).toEqual([]);
  });

  it('a file replaced after it was listed is not trashed, even with its size and date put back', async () => {
    const lib = await library();
    const keep = await writeImage(join(lib.photos, 'keep.jpg'), { seed: 8 });
    const copy = join(lib.photos, 'copy.jpg');
    copyFileSync(keep, copy);
    await lib.ingest.addFolder(lib.photos);
    await startAndSettle(lib);
    const listed = await suggested(lib);
    expect(listed.map((p) => p.name)).toEqual(['copy.jpg']);

    // Another picture of the very same size, with the listed file's date.
    const before = statSync(copy);
    const bytes = readFileSync(copy);
    bytes[bytes.length - 3] = bytes[bytes.length - 3]! ^ 0xff;
    const tmp = join(lib.root, 'replacement.jpg');
    writeFileSync(tmp, bytes);
    renameSync(tmp, copy);
    utimesSync(copy, before.atime, before.mtime);
    const { trash: trashIt, trashed } = trash(lib);
    const result = await trashIt(listed);
    expect(result.trashed).toBe(0);
    expect(result.failed[0]!.reason).toMatch(/changed since it was listed/);
    expect(trashed).toEqual([]);
    expect(readFileSync(copy)).toEqual(bytes);
  });

  it('a file whose real path left its watched folder is not trashed', async () => {
    const lib = await library();
    const outside = tempDir('komorebi-outside-');
    cleanups.push(outside.cleanup);
    const keep = await writeImage(join(lib.photos, 'keep.jpg'), { seed: 9 });
    const copy = join(lib.photos, 'copy.jpg');
    copyFileSync(keep, copy);
    await lib.ingest.addFolder(lib.photos);
    await startAndSettle(lib);
    const listed = await suggested(lib);
    await lib.ingest.close();
    // The copy is now a link to the same bytes, with the same date, somewhere else.
    const elsewhere = join(outside.dir, 'copy.jpg');
    copyFileSync(copy, elsewhere);
    const before = statSync(copy);
    utimesSync(elsewhere, before.atime, before.mtime);
    rmSync(copy);
    symlinkSync(elsewhere, copy);
    const { trash: trashIt, trashed } = trash(lib);
    const result = await trashIt(listed);
    expect(result.failed[0]!.reason).toMatch(/not inside the watched folder/);
    expect(trashed).toEqual([]);
    expect(existsSync(elsewhere)).toBe(true);
  });
});

describe.runIf(canMount)('a folder bind-mounted inside another watched folder', () => {
  it('is one file under two names: never duplicates, and neither name is trashed alone', async () => {
    const result = await runInNamespace(join(import.meta.dirname, 'fixtures', 'bind-mount-trash.ts'), []);
    expect(result).toMatchObject({
      names: ['A/bind/beach.jpg', 'A/own.jpg', 'B/beach.jpg'],
      groups: 0,
      suggestedResult: null,
      alone: {
        trashed: 0,
        failed: [{ reason: expect.stringMatching(/same file on disk as .*A\/bind\/beach\.jpg/) }],
      },
      survives: true,
    });
  });
});
