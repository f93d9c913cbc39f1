import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { IngestContext } from './context';
import { isInside } from './formats';

/** Files that look deleted but sit under a mount that is not there now (a drive, a share). */
export interface MissingMount {
  /** The nearest directory that still exists: where the drive was mounted. */
  dir: string;
  /** The device the files were on. */
  dev: string;
  /** The device that directory is on now (the parent file system, while nothing is mounted there). */
  dirDev: string;
  paths: string[];
}

/**
 * Splits files that are missing from their folder into those really deleted and those on a
 * drive or share that is not mounted now. Every file remembers the device it was on
 * (`files.dev`); its nearest existing ancestor directory is on that same device if the file
 * was deleted, and on another one if what held it was unmounted (the mount point stays
 * behind as a directory of the parent file system, empty or not) or a symlink to it broke.
 * A file with no recorded device (ingested before devices were recorded) is judged as before.
 */
export async function splitByMount(
  root: string,
  missing: { path: string; dev: string | null }[],
): Promise<{ deleted: string[]; unmounted: MissingMount[] }> {
  const devOf = new Map<string, string | null>();
  const deviceOf = async (dir: string): Promise<string | null> => {
    if (!devOf.has(dir))
      devOf.set(
        dir,
        await stat(dir).then(
          (s) => (s.isDirectory() ? String(s.dev) : null),
          () => null,
        ),
      );
    return devOf.get(dir) ?? null;
  };
  const deleted: string[] = [];
  const mounts = new Map<string, MissingMount>();
  for (const file of missing) {
    if (!file.dev) {
      deleted.push(file.path);
      continue;
    }
    let dir = dirname(file.path);
    let dev = await deviceOf(dir);
    while (dev === null && dir !== root && isInside(dir, root)) {
      dir = dirname(dir);
      dev = await deviceOf(dir);
    }
    if (dev === null || dev === file.dev) {
      deleted.push(file.path);
      continue;
    }
    const key = `${dir}\0${file.dev}`;
    const mount = mounts.get(key) ?? { dir, dev: file.dev, dirDev: dev, paths: [] };
    mount.paths.push(file.path);
    mounts.set(key, mount);
  }
  return { deleted, unmounted: [...mounts.values()] };
}

/**
 * Whether something is mounted again where a drive was: the directory is on another device
 * than when the drive was found missing. (Not "on the same device as before": a USB drive or a
 * tmpfs plugged in again often gets a new device number.)
 */
export async function mountIsBack(mount: { dir: string; dirDev: string }): Promise<boolean> {
  const s = await stat(mount.dir).catch(() => null);
  return s !== null && String(s.dev) !== mount.dirDev;
}

/**
 * Forgets files missing from a folder, except those on a drive or share that is not mounted
 * now: those stay in the library (with their thumbnails, vectors and comics), the mount
 * point is listed in Activity, and the folder is rescanned when the drive is back. If the
 * folder's root itself was the mount, the whole folder is offline. Returns whether it is.
 */
export async function forgetMissingFiles(
  ctx: IngestContext,
  folderId: number,
  missing: { path: string; dev: string | null }[],
  /** Devices seen renumbered in this pass (old -> new): a drive plugged in again under a new number. */
  renumbered: Map<string, string> = new Map(),
): Promise<{ rootOffline: boolean }> {
  const folder = ctx.files.folder(folderId);
  if (!folder || missing.length === 0) return { rootOffline: false };
  const { deleted, unmounted } = await splitByMount(
    folder.path,
    missing.map((m) => ({ path: m.path, dev: (m.dev && renumbered.get(m.dev)) || m.dev })),
  );
  // The folder's root was on that drive: the whole folder is offline. Else a mount inside it is.
  const inside = unmounted.filter((m) => !(m.dir === folder.path && m.dev === folder.root_dev));
  const rootOffline = inside.length < unmounted.length;
  const removed = ctx.files.removeFiles(deleted);
  if (removed > 0) ctx.changes.note(folderId, { removed });
  for (const mount of inside) {
    ctx.unmounted.set(mount.dir, { folderId, dir: mount.dir, dirDev: mount.dirDev });
    // Counted in the library, not in this pass: the watcher sees one directory at a time.
    const n = ctx.files.filesUnder(mount.dir).length;
    ctx.problem(
      mount.dir,
      'folder',
      `${n === 1 ? 'A photo' : `${n} photos`} under ${mount.dir} ${n === 1 ? 'was' : 'were'} on a drive or network share that is not mounted now. ${n === 1 ? 'It is' : 'They are'} kept, offline, and come back when it is mounted again.`,
    );
  }
  if (rootOffline) ctx.goOffline(folderId);
  return { rootOffline };
}
