import { createHash } from 'node:crypto';
import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { queueIdle } from '../helpers/queue';
import {
  count,
  FAST,
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
async function watchedLibrary(extra: Parameters<typeof openTestLibrary>[0] = {}): Promise<TestLibrary> {
  const lib = await openTestLibrary(extra);
  libs.push(lib);
  return lib;
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const okWithThumb = (lib: TestLibrary, path: string) =>
  lib.db
    .prepare(
      "SELECT f.hash FROM files f JOIN photos p ON p.hash = f.hash WHERE f.path = ? AND f.status = 'ok' AND p.thumb_state = 'done'",
    )
    .get(path) as { hash: string } | undefined;

/** inotify watches held by this process, from /proc/self/fdinfo (Linux). */
function inotifyWatches(): number {
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    let target = '';
    try {
      target = readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue;
    }
    if (target !== 'anon_inode:inotify') continue;
    n += readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('inotify wd:')).length;
  }
  return n;
}

describe('live watching', () => {
  it('adds, updates, renames and forgets files as they change on disk', async () => {
    const lib = await watchedLibrary();
    const p = lib.photos;
    await writeImage(join(p, 'first.jpg'), { seed: 1 });
    await lib.ingest.addFolder(p);
    await startAndSettle(lib);
    expect(okWithThumb(lib, join(p, 'first.jpg'))).toBeTruthy();

    // A new file, dropped while watching: in the library with its thumbnail.
    await writeImage(join(p, 'dropped.jpg'), { seed: 2 });
    await waitFor(() => okWithThumb(lib, join(p, 'dropped.jpg')), 'the dropped file');
    expect(lib.db.prepare('SELECT priority FROM jobs').all()).toEqual([]);

    // In a new subfolder.
    mkdirSync(join(p, 'trip'));
    await writeImage(join(p, 'trip', 'beach.png'), { seed: 3, format: 'png' });
    await waitFor(() => okWithThumb(lib, join(p, 'trip', 'beach.png')), 'a file in a new subfolder');

    // Modified in place: new content, new hash.
    const oldHash = fileRow(lib.db, join(p, 'first.jpg'))?.hash;
    await writeImage(join(p, 'first.jpg'), { seed: 10 });
    const newHash = sha(join(p, 'first.jpg'));
    await waitFor(() => fileRow(lib.db, join(p, 'first.jpg'))?.hash === newHash, 'the modified file');
    expect(newHash).not.toBe(oldHash);

    // Renamed: same photo (same hash, same photos row), new path.
    const dropped = fileRow(lib.db, join(p, 'dropped.jpg'))!;
    const created = lib.db
      .prepare('SELECT created_at FROM photos WHERE hash = ?')
      .get(dropped.hash) as object;
    renameSync(join(p, 'dropped.jpg'), join(p, 'trip', 'renamed.jpg'));
    await waitFor(
      () =>
        fileRow(lib.db, join(p, 'trip', 'renamed.jpg'))?.status === 'ok' &&
        !fileRow(lib.db, join(p, 'dropped.jpg')),
      'the rename',
    );
    expect(fileRow(lib.db, join(p, 'trip', 'renamed.jpg'))?.hash).toBe(dropped.hash);
    expect(
      lib.db.prepare('SELECT created_at, orphaned_at FROM photos WHERE hash = ?').get(dropped.hash),
    ).toEqual({ ...created, orphaned_at: null });

    // Deleted: leaves the library.
    rmSync(join(p, 'trip', 'beach.png'));
    await waitFor(() => !fileRow(lib.db, join(p, 'trip', 'beach.png')), 'the deletion');

    // A whole subfolder deleted.
    rmSync(join(p, 'trip'), { recursive: true });
    await waitFor(
      () => count(lib.db, 'SELECT count(*) AS n FROM files') === 1,
      'the deleted subfolder to leave',
    );
    expect(fileRow(lib.db, join(p, 'first.jpg'))?.status).toBe('ok');
    const changes = lib.notifier.of('library:changed');
    expect(changes.reduce((n, e) => n + e.removed, 0)).toBeGreaterThan(0);
  });

  it('a photo moved between two watched folders keeps its identity', async () => {
    const lib = await watchedLibrary();
    const a = join(lib.root, 'a');
    const b = join(lib.root, 'b');
    await writeImage(join(a, 'travel.jpg'), {
      seed: 5,
      exif: { IFD2: { DateTimeOriginal: '2019:01:02 03:04:05' } },
    });
    mkdirSync(b);
    const fa = await lib.ingest.addFolder(a);
    const fb = await lib.ingest.addFolder(b);
    await startAndSettle(lib);
    const before = fileRow(lib.db, join(a, 'travel.jpg'))!;
    expect(before.folder_id).toBe(fa.id);
    const photo = lib.db.prepare('SELECT * FROM photos WHERE hash = ?').get(before.hash);

    renameSync(join(a, 'travel.jpg'), join(b, 'travel.jpg'));
    await waitFor(
      () =>
        fileRow(lib.db, join(b, 'travel.jpg'))?.status === 'ok' && !fileRow(lib.db, join(a, 'travel.jpg')),
      'the move',
    );
    const after = fileRow(lib.db, join(b, 'travel.jpg'))!;
    expect(after).toMatchObject({ hash: before.hash, folder_id: fb.id, sort_date: before.sort_date });
    expect(lib.db.prepare('SELECT * FROM photos WHERE hash = ?').get(before.hash)).toEqual(photo);
    expect(count(lib.db, 'SELECT count(*) AS n FROM photos')).toBe(1);
  });

  it('ingests a file only once it has finished being written', async () => {
    // The app's default: a fresh file that reads as truncated is judged again once settled,
    // so a copy that stalls longer than the stability check is not reported as broken.
    const lib = await watchedLibrary({ timings: { ...FAST.timings, freshWriteMs: 3000 } });
    await lib.ingest.addFolder(lib.photos);
    await startAndSettle(lib);
    const source = await writeImage(join(lib.root, 'big.jpg'), { width: 640, height: 480, seed: 7 });
    const bytes = readFileSync(source);
    // Copy slowly, in chunks, the way a large photo arrives from a card or a network share.
    const target = join(lib.photos, 'copying.jpg');
    const fd = openSync(target, 'w');
    const chunk = Math.ceil(bytes.length / 6);
    for (let off = 0; off < bytes.length; off += chunk) {
      writeSync(fd, bytes.subarray(off, off + chunk));
      await new Promise((r) => setTimeout(r, 40));
    }
    closeSync(fd);
    await waitFor(() => okWithThumb(lib, target), 'the copied file');
    expect(fileRow(lib.db, target)?.hash).toBe(sha(source));
    expect(lib.notifier.of('activity:problem')).toEqual([]);
  });

  it('marks a folder offline when it disappears and back online when it returns, losing nothing', async () => {
    const lib = await watchedLibrary();
    const p = lib.photos;
    for (let i = 0; i < 5; i++) await writeImage(join(p, `sub${i % 2}`, `p${i}.jpg`), { seed: i });
    const folder = await lib.ingest.addFolder(p);
    await startAndSettle(lib);
    const snapshot = () => lib.db.prepare('SELECT path, hash, status FROM files ORDER BY path').all();
    const before = snapshot();
    expect(before).toHaveLength(5);

    renameSync(p, `${p}.unplugged`); // the drive goes away
    await waitFor(() => lib.ingest.listFolders()[0]?.status === 'offline', 'the folder to go offline');
    expect(lib.ingest.listFolders()[0]?.error).toMatch(/cannot be reached.*stay in the library/);
    expect(snapshot()).toEqual(before);
    expect(count(lib.db, 'SELECT count(*) AS n FROM photos WHERE orphaned_at IS NULL')).toBe(5);
    // A rescan while offline keeps everything too.
    lib.ingest.rescan(folder.id);
    await queueIdle(lib.queue);
    expect(snapshot()).toEqual(before);

    await writeImage(join(`${p}.unplugged`, 'added-elsewhere.jpg'), { seed: 42 });
    renameSync(`${p}.unplugged`, p); // and comes back, with one more photo
    await waitFor(
      () =>
        lib.ingest.listFolders()[0]?.status === 'watching' &&
        okWithThumb(lib, join(p, 'added-elsewhere.jpg')),
      'the folder to come back',
    );
    expect(snapshot()).toHaveLength(6);
    expect(snapshot()).toEqual(expect.arrayContaining(before as object[]));
    const offlineEvents = lib.notifier
      .of('folders:changed')
      .filter((e) => e.folders[0]?.status === 'offline');
    expect(offlineEvents.length).toBeGreaterThan(0);

    // Watching works again after the return.
    await lib.ingest.watching();
    await writeImage(join(p, 'sub0', 'after.jpg'), { seed: 43 });
    await waitFor(() => okWithThumb(lib, join(p, 'sub0', 'after.jpg')), 'a file added after the return');
  });

  it('uses one OS watch per directory, not per file', async () => {
    const lib = await watchedLibrary();
    const dirs = ['', 'x', join('x', 'y')];
    for (let i = 0; i < 150; i++)
      await writeImage(join(lib.photos, dirs[i % 3]!, `f${i}.png`), {
        format: 'png',
        width: 8,
        height: 8,
        seed: i,
      });
    const base = inotifyWatches();
    await lib.ingest.addFolder(lib.photos);
    await lib.ingest.start();
    await lib.ingest.watching();
    const used = inotifyWatches() - base;
    console.log(`inotify watches for ${dirs.length} directories of 150 files: ${used}`);
    expect(used).toBeGreaterThanOrEqual(dirs.length);
    expect(used).toBeLessThanOrEqual(dirs.length + 1);
  });

  it('falls back to polling when asked (network drives), still seeing new files', async () => {
    const lib = await watchedLibrary({ usePolling: true });
    await writeImage(join(lib.photos, 'sub', 'one.jpg'), { seed: 1 });
    await lib.ingest.addFolder(lib.photos);
    const base = inotifyWatches();
    await startAndSettle(lib);
    expect(inotifyWatches() - base).toBe(0);
    await writeImage(join(lib.photos, 'sub', 'two.jpg'), { seed: 2 });
    await waitFor(() => okWithThumb(lib, join(lib.photos, 'sub', 'two.jpg')), 'a new file seen by polling');
    rmSync(join(lib.photos, 'sub', 'one.jpg'));
    await waitFor(() => !fileRow(lib.db, join(lib.photos, 'sub', 'one.jpg')), 'a deletion seen by polling');
  });
});
