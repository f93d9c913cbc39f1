import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { queueIdle } from '../helpers/queue';
import { count, fileRow, openTestLibrary, startAndSettle, type TestLibrary, writeImage } from './helpers';

/**
 * Root reads anything, so chmod 000 proves nothing when tests run as root (as they do in
 * CI here). This file then drops to the unprivileged 'nobody' user for real: vitest runs
 * each test file in its own forked process, so nothing else is affected.
 */
const NOBODY = 65534;
let droppedFromRoot = false;
beforeAll(() => {
  if (process.getuid?.() === 0) {
    process.setgid?.(NOBODY);
    process.setuid?.(NOBODY);
    droppedFromRoot = true;
  }
});

const libs: TestLibrary[] = [];
afterEach(async () => {
  unlock();
  for (const l of libs.splice(0)) await l.close();
});
const locked: string[] = [];
function unlock(): void {
  for (const p of locked.splice(0)) chmodSync(p, 0o755);
}

describe('unreadable files and folders', () => {
  it('runs unprivileged, so permissions are real', () => {
    expect(process.getuid?.()).not.toBe(0);
    if (droppedFromRoot)
      console.log('permissions.test: dropped from root to uid 65534 so chmod 000 really blocks reads');
  });

  it('an unreadable file is bad with a reason; an unreadable subfolder is a problem and the scan goes on', async () => {
    const lib = await openTestLibrary();
    libs.push(lib);
    const p = lib.photos;
    await writeImage(join(p, 'fine.jpg'), { seed: 1 });
    await writeImage(join(p, 'secret.jpg'), { seed: 2 });
    await writeImage(join(p, 'locked', 'inside.jpg'), { seed: 3 });
    await writeImage(join(p, 'open', 'visible.jpg'), { seed: 4 });
    chmodSync(join(p, 'secret.jpg'), 0o000);
    chmodSync(join(p, 'locked'), 0o000);
    locked.push(join(p, 'secret.jpg'), join(p, 'locked'));

    await lib.ingest.addFolder(p);
    await startAndSettle(lib);

    expect(fileRow(lib.db, join(p, 'fine.jpg'))?.status).toBe('ok');
    expect(fileRow(lib.db, join(p, 'open', 'visible.jpg'))?.status).toBe('ok');
    expect(fileRow(lib.db, join(p, 'secret.jpg'))).toMatchObject({
      status: 'bad',
      error: 'Komorebi cannot read this file: permission denied. Check its permissions.',
    });
    const folderProblem = lib.db.prepare("SELECT path, reason FROM problems WHERE kind = 'folder'").get() as {
      path: string;
      reason: string;
    };
    expect(folderProblem.path).toBe(join(p, 'locked'));
    expect(folderProblem.reason).toMatch(/permission denied/);
    expect(lib.ingest.listFolders()[0]?.status).toBe('watching');

    // Once readable again, a rescan brings both in and clears the problems.
    unlock();
    lib.ingest.rescan(lib.ingest.listFolders()[0]!.id);
    await queueIdle(lib.queue);
    // chmod changes neither size nor mtime: a file that failed to be read is tried again anyway.
    expect(fileRow(lib.db, join(p, 'secret.jpg'))).toMatchObject({ status: 'ok', error: null });
    expect(fileRow(lib.db, join(p, 'locked', 'inside.jpg'))?.status).toBe('ok');
    expect(count(lib.db, "SELECT count(*) AS n FROM problems WHERE kind = 'folder'")).toBe(0);
  });

  it('refuses to add a folder it cannot read', async () => {
    const lib = await openTestLibrary();
    libs.push(lib);
    mkdirSync(join(lib.root, 'closed'));
    chmodSync(join(lib.root, 'closed'), 0o000);
    locked.push(join(lib.root, 'closed'));
    await expect(lib.ingest.addFolder(join(lib.root, 'closed'))).rejects.toThrow(
      /cannot read the folder .*permission denied/,
    );
  });
});
