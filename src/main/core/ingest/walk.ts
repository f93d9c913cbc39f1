import type { Dirent } from 'node:fs';
import { lstat, opendir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { realFileInside } from '../media';
import { isInside, isPhotoName } from './formats';

export interface FoundFile {
  path: string;
  size: number;
  mtime: number;
  /** false for a FIFO, socket or device named like a photo: reading it would block or make no sense. */
  regular: boolean;
  /** The device it is on (st_dev), to tell a deleted file from one on a drive unmounted later. */
  dev: string;
}

export interface WalkOptions {
  /** true for folders never to enter (hidden, system, the app's data dir). */
  skipDir: (path: string) => boolean;
  /** A subfolder (or a file) that cannot be read: reported, and the walk goes on. Its files are kept. */
  onUnreadable: (path: string, err: NodeJS.ErrnoException, what?: 'folder' | 'file') => void;
  maxDepth?: number;
}

export const MAX_DEPTH = 32;

/**
 * Walks a folder tree one directory handle at a time (fs.opendir streams entries), so a
 * folder of 100,000 photos never becomes an array of 100,000 promises. Never leaves the
 * root: a symlinked folder is not entered (inside the tree it is a loop or a second name for
 * photos reached anyway; outside it, it is not the user's to show), and a symlinked file
 * counts only when its real path is inside the root. Throws only if the root itself cannot be read.
 */
export async function* walkPhotos(root: string, opts: WalkOptions): AsyncGenerator<FoundFile> {
  const maxDepth = opts.maxDepth ?? MAX_DEPTH;
  const realRoot = await realpath(root);
  const visited = new Set<string>([realRoot]);
  const stack: { dir: string; depth: number }[] = [{ dir: root, depth: 0 }];
  while (stack.length > 0) {
    const { dir, depth } = stack.pop()!;
    let entries: AsyncIterable<Dirent>;
    try {
      entries = await opendir(dir, { bufferSize: 64 });
    } catch (err) {
      if (dir === root) throw err;
      opts.onUnreadable(dir, err as NodeJS.ErrnoException);
      continue;
    }
    try {
      for await (const entry of entries) {
        const path = join(dir, entry.name);
        if (entry.isDirectory() || entry.isSymbolicLink()) {
          const sub = await subfolder(path, entry, realRoot, visited, opts);
          if (sub === 'dir') {
            if (depth < maxDepth) stack.push({ dir: path, depth: depth + 1 });
            else opts.onUnreadable(path, tooDeep(maxDepth), 'folder');
            continue;
          }
          if (sub === 'skip') continue;
        }
        if (!isPhotoName(entry.name)) continue;
        if (entry.isSymbolicLink() && !(await realFileInside(root, path, { watched: true }))) continue;
        const found = await look(path);
        if (found instanceof Error) opts.onUnreadable(path, found, 'file');
        else if (found) yield found;
      }
    } catch (err) {
      if (dir === root) throw err;
      opts.onUnreadable(dir, err as NodeJS.ErrnoException);
    }
  }
}

/** 'dir' to enter, 'skip' to ignore, 'file' when a symlink points at a file. */
async function subfolder(
  path: string,
  entry: Dirent,
  realRoot: string,
  visited: Set<string>,
  opts: WalkOptions,
): Promise<'dir' | 'skip' | 'file'> {
  const link = entry.isSymbolicLink();
  if (link) {
    const target = await stat(path).catch(() => null);
    if (!target) return 'skip'; // a broken link is not a photo
    // A linked folder is never entered: inside the tree it is a loop or a second name for
    // photos reached anyway, outside it the window must not see it (decision 0024).
    return target.isDirectory() ? 'skip' : 'file';
  }
  if (opts.skipDir(path)) return 'skip';
  // A folder that cannot be resolved (EACCES, EIO) keeps what it held.
  const real = await realpath(path).catch((err: NodeJS.ErrnoException) => err);
  if (real instanceof Error) return unreadable(path, real, opts);
  if (visited.has(real) || opts.skipDir(real) || !isInside(real, realRoot)) return 'skip';
  visited.add(real);
  return 'dir';
}

/**
 * The depth limit is what stops a bind mount of a folder inside itself (same real path, so no
 * link to see). A folder cut off by it is said, with what to do, rather than silently left out.
 */
function tooDeep(maxDepth: number): NodeJS.ErrnoException {
  return Object.assign(new Error(`it is more than ${maxDepth} folders deep`), { code: 'ETOODEEP' });
}

function unreadable(path: string, err: NodeJS.ErrnoException, opts: WalkOptions): 'skip' {
  if (err.code !== 'ENOENT' && err.code !== 'ENOTDIR') opts.onUnreadable(path, err, 'folder');
  return 'skip';
}

/** The file's stamp; null if it is gone (or a directory); the error if it is there but cannot be read. */
async function look(path: string): Promise<FoundFile | null | NodeJS.ErrnoException> {
  const s = await stat(path).catch(() => lstat(path).catch((err: NodeJS.ErrnoException) => err));
  if (s instanceof Error) return s.code === 'ENOENT' || s.code === 'ENOTDIR' ? null : s;
  if (s.isDirectory()) return null;
  const regular = s.isFile();
  return { path, size: regular ? s.size : 0, mtime: Math.floor(s.mtimeMs), regular, dev: String(s.dev) };
}

export async function describe(path: string): Promise<FoundFile | null> {
  const found = await look(path);
  return found instanceof Error ? null : found;
}
