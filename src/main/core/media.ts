import { realpathSync, type Stats, statSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, sep } from 'node:path';
import type { MediaRoots } from './ports';

/**
 * Media paths are how the window names a file it may show: `thumbs/<rel>`, `studio/<rel>` or
 * `folder/<id>/<rel>`. This is the single gate between a URL and the disk, shared by the
 * Electron `media://` protocol and the browser-mode `/media/` route, so every rule lives here.
 *
 * Returns the real path of a regular file inside one of the roots, or null. It never says why
 * a path was refused: the caller answers 404 either way, so nothing about the disk leaks.
 */
export async function resolveMediaPath(mediaPath: string, roots: MediaRoots): Promise<string | null> {
  const segments = splitMediaPath(mediaPath);
  if (!segments) return null;
  const [area, ...rest] = segments;
  if (area === 'thumbs') return resolveInsideRoot(roots.thumbs, rest);
  if (area === 'studio') return resolveInsideRoot(roots.studio, rest);
  if (area === 'folder') {
    const [idText, ...rel] = rest;
    if (!idText || !/^[1-9][0-9]{0,15}$/.test(idText)) return null;
    const root = roots.folders.get(Number(idText));
    return root && rel.length > 0 ? realFileInside(root, join(root, ...rel), { watched: true }) : null;
  }
  return null;
}

/**
 * Decodes percent-encoding exactly once (so `%252e%252e` stays the harmless name `%2e%2e`) and
 * splits into segments, refusing anything that could step outside: NUL, backslashes, absolute
 * paths, drive letters, and empty, `.` or `..` segments.
 */
export function splitMediaPath(mediaPath: string): string[] | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(mediaPath);
  } catch {
    return null;
  }
  if (decoded.length === 0 || decoded.length > 8192) return null;
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  if (decoded.startsWith('/') || isAbsolute(decoded) || /^[a-zA-Z]:/.test(decoded)) return null;
  const segments = decoded.split('/');
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..') return null;
    // On Windows a colon names an alternate data stream or a drive: never part of a photo name we serve.
    if (process.platform === 'win32' && segment.includes(':')) return null;
  }
  return segments;
}

/**
 * Joins already-checked segments under a root, then compares REAL paths (symlinks resolved on
 * both sides) so a link inside a watched folder that points elsewhere is refused.
 */
export async function resolveInsideRoot(root: string, segments: string[]): Promise<string | null> {
  if (segments.length === 0 || !root) return null;
  return realFileInside(root, join(root, ...segments));
}

/**
 * The real path of `path` when it is a regular file whose real path lies strictly inside the
 * real path of `root`, else null. The same rule for the window's media requests and for the
 * core's own reads of originals (scan, watch, ingest, thumbnails, embeddings): a symlink in a
 * watched folder that points outside it is never served, read, thumbnailed or embedded.
 *
 * `watched`: the root is a watched folder, stored as its real path when it was added. If that
 * path now resolves elsewhere (the folder, or a folder above it, was replaced by a link), nothing
 * under it counts: the files there are not the ones the user added.
 */
export async function realFileInside(
  root: string,
  path: string,
  options: { watched?: boolean } = {},
): Promise<string | null> {
  if (!root) return null;
  try {
    const realRoot = await realpath(root);
    if (options.watched && realRoot !== root) return null;
    const realTarget = await realpath(path);
    if (!strictlyInside(realRoot, realTarget)) return null;
    const info = await stat(realTarget);
    return info.isFile() ? realTarget : null;
  } catch {
    return null;
  }
}

/**
 * realFileInside, synchronously, with the file's stat: for the app's own data directory
 * (thumbnails, studio outputs), where a threadpool round trip costs more than the work
 * (decision 0056). Never for watched folders: they may be network drives or sleeping disks.
 */
export function localFileInside(root: string, path: string): { real: string; info: Stats } | null {
  try {
    const real = realpathSync(path);
    if (!strictlyInside(realpathSync(root), real)) return null;
    const info = statSync(real);
    return info.isFile() ? { real, info } : null;
  } catch {
    return null;
  }
}

/** Both real paths: `target` lies below `root`, not at it, not beside it. */
export function strictlyInside(realRoot: string, realTarget: string): boolean {
  const rel = relative(realRoot, realTarget);
  return !(rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel));
}

/** Why a file of a watched folder is not read: shown in Activity's problem list. */
export const OUTSIDE_ROOT_REASON =
  'This is a link to a file outside the watched folder: Komorebi reads only what is inside the folders you added. Add the folder it points to if you want its photos.';

const mediaTypes: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.jpe': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.avif': 'image/avif',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.heic': 'image/heic',
  '.heif': 'image/heif',
  '.pdf': 'application/pdf',
  '.zip': 'application/zip',
  '.cbz': 'application/vnd.comicbook+zip',
};

/**
 * The content type for a media file, or null for anything else. Deliberately no SVG, HTML or
 * text: a watched folder may hold any file, and serving those from the app's own origin would
 * let a downloaded file run script in the window.
 */
export function contentTypeFor(file: string): string | null {
  return mediaTypes[extname(file).toLowerCase()] ?? null;
}
