import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { thumbFiles, thumbPaths } from '../../src/main/core/ingest';
import {
  count,
  fileRow,
  openTestLibrary,
  startAndSettle,
  type TestLibrary,
  waitFor,
  writeImage,
} from './helpers';

const libs: TestLibrary[] = [];
afterEach(async () => {
  for (const l of libs.splice(0)) await l.close();
});
async function library(...args: Parameters<typeof openTestLibrary>): Promise<TestLibrary> {
  const l = await openTestLibrary(...args);
  libs.push(l);
  return l;
}

describe('scanning a watched folder', () => {
  it('adds photos of every supported format in nested folders, with EXIF and thumbnails', async () => {
    const lib = await library();
    const p = lib.photos;
    await writeImage(join(p, 'a.jpg'), {
      seed: 1,
      exif: {
        IFD0: { Make: 'Canon', Model: 'EOS 5D' },
        IFD2: { DateTimeOriginal: '2021:05:06 07:08:09', LensModel: 'EF 50mm f/1.8' },
        IFD3: {
          GPSLatitudeRef: 'N',
          GPSLatitude: '48/1 51/1 2999/100',
          GPSLongitudeRef: 'W',
          GPSLongitude: '2/1 21/1 0/1',
        },
      },
    });
    await writeImage(join(p, '2020', 'b.png'), { seed: 2, format: 'png' });
    await writeImage(join(p, '2020', 'summer', 'c.webp'), { seed: 3, format: 'webp' });
    await writeImage(join(p, '2020', 'summer', 'deep', 'd.gif'), { seed: 4, format: 'gif' });
    await writeImage(join(p, 'e.avif'), { seed: 5, format: 'avif' });
    await writeImage(join(p, 'f.tiff'), { seed: 6, format: 'tiff' });
    await writeImage(join(p, 'mislabelled.jpg'), { seed: 7, format: 'png' });
    writeFileSync(join(p, 'notes.txt'), 'not a photo, not even looked at');

    const folder = await lib.ingest.addFolder(p);
    expect(folder).toMatchObject({ path: p, status: 'scanning', photoCount: 0 });
    await startAndSettle(lib);

    expect(count(lib.db, "SELECT count(*) AS n FROM files WHERE status = 'ok'")).toBe(7);
    expect(count(lib.db, 'SELECT count(*) AS n FROM photos')).toBe(7);
    expect(count(lib.db, "SELECT count(*) AS n FROM files WHERE path LIKE '%notes.txt'")).toBe(0);
    const [listed] = lib.ingest.listFolders();
    expect(listed).toMatchObject({ id: folder.id, status: 'watching', photoCount: 7 });
    expect(listed?.lastScanAt).toBeTypeOf('number');

    const a = lib.db
      .prepare('SELECT photos.* FROM photos JOIN files ON files.hash = photos.hash WHERE files.path = ?')
      .get(join(p, 'a.jpg')) as Record<string, unknown>;
    expect(a).toMatchObject({
      width: 96,
      height: 64,
      format: 'jpeg',
      camera: 'Canon EOS 5D',
      lens: 'EF 50mm f/1.8',
      thumb_state: 'done',
    });
    expect(a.lat as number).toBeCloseTo(48.85833, 4);
    expect(a.lon as number).toBeCloseTo(-2.35, 4);
    const taken = new Date(a.taken_at as number);
    expect([
      taken.getFullYear(),
      taken.getMonth() + 1,
      taken.getDate(),
      taken.getHours(),
      taken.getMinutes(),
    ]).toEqual([2021, 5, 6, 7, 8]);
    expect(fileRow(lib.db, join(p, 'a.jpg'))?.sort_date).toBe(a.taken_at);

    const formats = lib.db
      .prepare('SELECT f.path, p.format FROM files f JOIN photos p ON p.hash = f.hash')
      .all() as { path: string; format: string }[];
    const byName = Object.fromEntries(formats.map((r) => [r.path.slice(p.length + 1), r.format]));
    expect(byName).toMatchObject({
      '2020/b.png': 'png',
      '2020/summer/c.webp': 'webp',
      '2020/summer/deep/d.gif': 'gif',
      'e.avif': 'avif',
      'f.tiff': 'tiff',
    });
    // Content wins over the extension.
    expect(byName['mislabelled.jpg']).toBe('png');

    // Every photo has both thumbnails on disk, at the media paths the gallery uses.
    for (const { hash } of lib.db.prepare('SELECT hash FROM photos').all() as { hash: string }[]) {
      const files = thumbFiles(lib.thumbsDir, hash, 'jpeg');
      expect(existsSync(files.small) && existsSync(files.large)).toBe(true);
      expect(thumbPaths(hash, 'jpeg').small).toBe(`thumbs/${hash.slice(0, 2)}/${hash}_s.jpg`);
      expect(files.small).toBe(join(lib.dataDir, thumbPaths(hash, 'jpeg').small));
    }
    await waitFor(
      () => lib.notifier.of('library:changed').reduce((n, e) => n + e.added, 0) === 7,
      '7 additions announced',
    );
    expect(lib.notifier.of('folders:changed').length).toBeGreaterThan(0);
  });

  it('makes thumbnails with EXIF orientation applied', async () => {
    const lib = await library();
    await writeImage(join(lib.photos, 'portrait.jpg'), { width: 640, height: 480, orientation: 6 });
    await lib.ingest.addFolder(lib.photos);
    await startAndSettle(lib);
    const photo = lib.db.prepare('SELECT hash, width, height, orientation FROM photos').get() as {
      hash: string;
      width: number;
      height: number;
      orientation: number;
    };
    expect(photo).toMatchObject({ width: 640, height: 480, orientation: 6 });
    const small = await sharp(thumbFiles(lib.thumbsDir, photo.hash, 'jpeg').small).metadata();
    const large = await sharp(thumbFiles(lib.thumbsDir, photo.hash, 'jpeg').large).metadata();
    expect([small.width, small.height, small.format]).toEqual([240, 320, 'jpeg']);
    expect([large.width, large.height]).toEqual([480, 640]); // never enlarged
  });

  it('remakes missing thumbnails at the next start', async () => {
    const lib = await library();
    await writeImage(join(lib.photos, 'a.webp'), { format: 'webp', width: 400, height: 300 });
    await lib.ingest.addFolder(lib.photos);
    await startAndSettle(lib);
    const { hash } = lib.db.prepare('SELECT hash FROM photos').get() as { hash: string };
    const files = thumbFiles(lib.thumbsDir, hash, 'jpeg');
    rmSync(files.small);
    rmSync(files.large);
    lib.db.prepare("UPDATE photos SET thumb_state = 'pending'").run(); // as after a failed write
    await lib.reopen();
    await startAndSettle(lib);
    expect(lib.db.prepare('SELECT thumb_state, thumb_error FROM photos').get()).toEqual({
      thumb_state: 'done',
      thumb_error: null,
    });
    expect((await sharp(files.small).metadata()).width).toBe(320);
    expect((await sharp(files.large).metadata()).width).toBe(400);
  });

  it('remakes the WebP previews of an older version as JPEGs and removes the WebP files', async () => {
    const lib = await library();
    await writeImage(join(lib.photos, 'old.jpg'), { width: 400, height: 300 });
    await lib.ingest.addFolder(lib.photos);
    await startAndSettle(lib);
    const { hash } = lib.db.prepare('SELECT hash FROM photos').get() as { hash: string };
    // As an older version left it: WebP files, the row saying so, then the cache cleared.
    const webp = thumbFiles(lib.thumbsDir, hash, 'webp');
    writeFileSync(
      webp.small,
      await sharp({ create: { width: 8, height: 8, channels: 3, background: '#123' } })
        .webp()
        .toBuffer(),
    );
    writeFileSync(webp.large, readFileSync(webp.small));
    rmSync(thumbFiles(lib.thumbsDir, hash, 'jpeg').small);
    lib.db.prepare("UPDATE photos SET thumb_state = 'pending', thumb_format = 'webp'").run();
    await lib.reopen();
    await startAndSettle(lib);
    expect(lib.db.prepare('SELECT thumb_state, thumb_format FROM photos').get()).toEqual({
      thumb_state: 'done',
      thumb_format: 'jpeg',
    });
    expect(existsSync(webp.small) || existsSync(webp.large)).toBe(false);
    expect((await sharp(thumbFiles(lib.thumbsDir, hash, 'jpeg').small).metadata()).format).toBe('jpeg');
  });

  it('skips hidden and system folders, the data dir and symlink loops, and survives them', async () => {
    const lib = await library();
    const p = lib.photos;
    await writeImage(join(p, 'keep.jpg'), { seed: 1 });
    await writeImage(join(p, '.hidden', 'no1.jpg'), { seed: 2 });
    await writeImage(join(p, '$RECYCLE.BIN', 'no2.jpg'), { seed: 3 });
    await writeImage(join(p, '@eaDir', 'no3.jpg'), { seed: 4 });
    await writeImage(join(p, 'node_modules', 'no4.jpg'), { seed: 5 });
    await writeImage(join(p, 'sub', 'inner.jpg'), { seed: 6 });
    writeFileSync(join(p, '._keep.jpg'), 'macOS AppleDouble stub'); // not a photo, not a problem
    symlinkSync(p, join(p, 'sub', 'loop')); // sub/loop -> photos: a loop
    symlinkSync(join(p, 'sub'), join(p, 'sub-again')); // the same folder twice
    symlinkSync(join(p, 'nowhere'), join(p, 'broken.jpg')); // a dangling link
    await lib.ingest.addFolder(p);
    await startAndSettle(lib);
    const paths = (lib.db.prepare('SELECT path FROM files ORDER BY path').all() as { path: string }[]).map(
      (r) => r.path.slice(p.length + 1),
    );
    expect(paths.sort()).toEqual(['keep.jpg', 'sub/inner.jpg'].sort());
  });

  it('never scans the app data dir even when it sits inside a watched folder', async () => {
    const lib = await library();
    await writeImage(join(lib.root, 'top.jpg'), { seed: 9 });
    // Such a folder is refused by folders:add now, but one may be in a library from before,
    // or the data dir may have moved inside a watched folder (KOMOREBI_DATA_DIR) since.
    await expect(lib.ingest.addFolder(lib.root)).rejects.toThrow(/contains Komorebi's own data folder/);
    lib.db
      .prepare("INSERT INTO folders (path, added_at, status) VALUES (?, ?, 'scanning')")
      .run(lib.root, Date.now());
    // data/thumbs holds WebP thumbnails: they must not become photos.
    await startAndSettle(lib);
    expect((lib.db.prepare('SELECT path FROM files').all() as { path: string }[]).map((r) => r.path)).toEqual(
      [join(lib.root, 'top.jpg')],
    );
    expect(count(lib.db, 'SELECT count(*) AS n FROM photos')).toBe(1);
  });

  it('a rescan picks up changes made while the app was closed, and forgets deleted files', async () => {
    const lib = await library();
    const p = lib.photos;
    await writeImage(join(p, 'stays.jpg'), { seed: 1 });
    await writeImage(join(p, 'changes.jpg'), { seed: 2 });
    await writeImage(join(p, 'goes.jpg'), { seed: 3 });
    await lib.ingest.addFolder(p);
    await startAndSettle(lib);
    const before = fileRow(lib.db, join(p, 'changes.jpg'))?.hash;

    await lib.ingest.close();
    await writeImage(join(p, 'changes.jpg'), { seed: 20 });
    rmSync(join(p, 'goes.jpg'));
    await writeImage(join(p, 'new.jpg'), { seed: 4 });
    await lib.reopen();
    await startAndSettle(lib);

    const names = (lib.db.prepare('SELECT path FROM files ORDER BY path').all() as { path: string }[]).map(
      (r) => r.path.slice(p.length + 1),
    );
    expect(names).toEqual(['changes.jpg', 'new.jpg', 'stays.jpg']);
    const after = fileRow(lib.db, join(p, 'changes.jpg'))?.hash;
    expect(after).not.toBe(before);
    // Old content lingers as an orphan for the grace period (a move may still bring it back).
    const orphan = lib.db.prepare('SELECT orphaned_at FROM photos WHERE hash = ?').get(before) as {
      orphaned_at: number | null;
    };
    expect(orphan.orphaned_at).toBeTypeOf('number');
  });

  it('resumes a scan cut short by a quit, with no duplicate rows', async () => {
    const lib = await library();
    const n = 40;
    for (let i = 0; i < n; i++)
      await writeImage(join(lib.photos, `d${i % 4}`, `img${i}.jpg`), { seed: i, width: 64, height: 48 });
    await lib.ingest.addFolder(lib.photos);
    await lib.ingest.start();
    lib.queue.start();
    // Quit while work is in flight: some files in, the rest still queued.
    await waitFor(() => count(lib.db, 'SELECT count(*) AS n FROM files') >= 3, 'a few files ingested');
    await lib.reopen();
    const left = count(lib.db, "SELECT count(*) AS n FROM jobs WHERE state = 'pending'");
    expect(count(lib.db, 'SELECT count(*) AS n FROM files')).toBeLessThan(n);
    expect(left).toBeGreaterThan(0);
    await startAndSettle(lib);
    expect(count(lib.db, 'SELECT count(*) AS n FROM files')).toBe(n);
    expect(count(lib.db, 'SELECT count(DISTINCT path) AS n FROM files')).toBe(n);
    expect(count(lib.db, 'SELECT count(*) AS n FROM photos')).toBe(n);
    expect(count(lib.db, 'SELECT count(*) AS n FROM jobs')).toBe(0);
  });

  it('a scan interrupted mid-walk by a quit is still queued at the next start and finishes without duplicates', async () => {
    const lib = await library();
    const one = readFileSync(await writeImage(join(lib.root, 'one.jpg'), { width: 32, height: 32 }));
    const n = 1500;
    for (let i = 0; i < n; i++) {
      mkdirSync(join(lib.photos, `d${i % 30}`), { recursive: true });
      writeFileSync(join(lib.photos, `d${i % 30}`, `copy${i}.jpg`), one);
    }
    await lib.ingest.addFolder(lib.photos);
    await lib.ingest.start();
    lib.queue.start();
    const scanState = () =>
      (
        lib.db.prepare("SELECT state FROM jobs WHERE kind = 'scan-folder'").get() as
          | { state: string }
          | undefined
      )?.state;
    const started = Date.now();
    while (
      !(
        scanState() === 'running' &&
        count(lib.db, "SELECT count(*) AS n FROM jobs WHERE kind = 'ingest-file'") > 0
      )
    ) {
      if (scanState() === undefined || Date.now() - started > 15_000)
        throw new Error('The scan ended before it could be interrupted');
      await new Promise((r) => setImmediate(r));
    }
    await lib.reopen();
    expect(scanState()).toBe('pending');
    expect(count(lib.db, "SELECT count(*) AS n FROM jobs WHERE kind = 'ingest-file'")).toBeLessThan(n);
    await startAndSettle(lib);
    expect(count(lib.db, "SELECT count(*) AS n FROM files WHERE status = 'ok'")).toBe(n);
    expect(count(lib.db, 'SELECT count(DISTINCT path) AS n FROM files')).toBe(n);
    expect(count(lib.db, 'SELECT count(*) AS n FROM photos')).toBe(1);
    expect(count(lib.db, 'SELECT count(*) AS n FROM jobs')).toBe(0);
  });

  it('removing a folder forgets its files but never touches them on disk', async () => {
    const lib = await library();
    await writeImage(join(lib.photos, 'one.jpg'), { seed: 1 });
    await writeImage(join(lib.photos, 'sub', 'two.png'), { seed: 2, format: 'png' });
    writeFileSync(join(lib.photos, 'empty.jpg'), '');
    const before = readdirSync(lib.photos, { recursive: true }).sort();
    const bytes = readFileSync(join(lib.photos, 'one.jpg'));
    const folder = await lib.ingest.addFolder(lib.photos);
    await startAndSettle(lib);
    expect(count(lib.db, 'SELECT count(*) AS n FROM problems')).toBe(1);

    await lib.ingest.removeFolder(folder.id);
    expect(lib.ingest.listFolders()).toEqual([]);
    expect(count(lib.db, 'SELECT count(*) AS n FROM files')).toBe(0);
    expect(count(lib.db, 'SELECT count(*) AS n FROM problems')).toBe(0);
    expect(readdirSync(lib.photos, { recursive: true }).sort()).toEqual(before);
    expect(readFileSync(join(lib.photos, 'one.jpg')).equals(bytes)).toBe(true);

    // Photos stay for the grace period, then are collected with their thumbnails.
    expect(count(lib.db, 'SELECT count(*) AS n FROM photos')).toBe(2);
    const hashes = (lib.db.prepare('SELECT hash FROM photos').all() as { hash: string }[]).map((r) => r.hash);
    expect(await lib.ingest.collectOrphans()).toEqual([]);
    expect((await lib.ingest.collectOrphans(Date.now() + 15 * 24 * 3600 * 1000)).sort()).toEqual(
      [...hashes].sort(),
    );
    expect(count(lib.db, 'SELECT count(*) AS n FROM photos')).toBe(0);
    for (const h of hashes) expect(existsSync(thumbFiles(lib.thumbsDir, h, 'jpeg').small)).toBe(false);
    expect(readdirSync(lib.photos, { recursive: true }).sort()).toEqual(before);
  });

  it('a photo a comic uses is never collected, nor its thumbnail, even long after its files left', async () => {
    const lib = await library();
    await writeImage(join(lib.photos, 'in-a-comic.jpg'), { seed: 11 });
    await writeImage(join(lib.photos, 'not.jpg'), { seed: 12 });
    const folder = await lib.ingest.addFolder(lib.photos);
    await startAndSettle(lib);
    const kept = fileRow(lib.db, join(lib.photos, 'in-a-comic.jpg'))!.hash!;
    const other = fileRow(lib.db, join(lib.photos, 'not.jpg'))!.hash!;
    lib.db.prepare("INSERT INTO comic_sessions (title, created_at, updated_at) VALUES ('Trip', 0, 0)").run();
    lib.db.prepare('INSERT INTO comic_references (session_id, position, hash) VALUES (1, 0, ?)').run(kept);

    await lib.ingest.removeFolder(folder.id);
    expect(await lib.ingest.collectOrphans(Date.now() + 15 * 24 * 3600 * 1000)).toEqual([other]);
    expect(count(lib.db, 'SELECT count(*) AS n FROM photos WHERE hash = ?', kept)).toBe(1);
    expect(existsSync(thumbFiles(lib.thumbsDir, kept, 'jpeg').small)).toBe(true);
  });

  it('refuses folders that cannot or must not be watched, saying why', async () => {
    const lib = await library();
    mkdirSync(join(lib.photos, 'inner'), { recursive: true });
    await writeImage(join(lib.root, 'file.jpg'));
    await expect(lib.ingest.addFolder(join(lib.root, 'missing'))).rejects.toThrow(/does not exist/);
    await expect(lib.ingest.addFolder(join(lib.root, 'file.jpg'))).rejects.toThrow(/is a file, not a folder/);
    await expect(lib.ingest.addFolder(lib.thumbsDir)).rejects.toThrow(/inside Komorebi's own data folder/);
    const added = await lib.ingest.addFolder(`${lib.photos}/inner/..`);
    expect(added.path).toBe(lib.photos);
    await expect(lib.ingest.addFolder(lib.photos)).rejects.toThrow(/already watched/);
    symlinkSync(lib.photos, join(lib.root, 'alias'));
    await expect(lib.ingest.addFolder(join(lib.root, 'alias'))).rejects.toThrow(/already watched/);
    await expect(lib.ingest.addFolder(join(lib.photos, 'inner'))).rejects.toThrow(
      /inside the watched folder/,
    );
    mkdirSync(join(lib.root, 'albums', 'trip'), { recursive: true });
    await lib.ingest.addFolder(join(lib.root, 'albums', 'trip'));
    await expect(lib.ingest.addFolder(join(lib.root, 'albums'))).rejects.toThrow(
      /contains the watched folder/,
    );
    expect(lib.ingest.listFolders()).toHaveLength(2);
  });

  it('records HEIC that cannot be decoded here as unsupported, never dropping it silently', async () => {
    const lib = await library();
    // sharp's prebuilt libvips reads HEIF containers but has no HEVC decoder: a real HEIC
    // cannot be made here, so this stands for one the way this system sees it.
    writeFileSync(
      join(lib.photos, 'IMG_0001.HEIC'),
      Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic'), Buffer.alloc(64)]),
    );
    await lib.ingest.addFolder(lib.photos);
    await startAndSettle(lib);
    const row = fileRow(lib.db, join(lib.photos, 'IMG_0001.HEIC'));
    expect(row).toMatchObject({
      status: 'unsupported',
      error: 'HEIC cannot be decoded on this system',
      hash: null,
    });
    expect(lib.db.prepare('SELECT kind, reason FROM problems').all()).toEqual([
      { kind: 'file', reason: 'HEIC cannot be decoded on this system' },
    ]);
  });
});
