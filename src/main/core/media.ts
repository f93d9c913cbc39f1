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
    return root ? resolveInsideRoot(root, rel) : null;
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
  try {
    const realRoot = await realpath(root);
    const realTarget = await realpath(join(realRoot, ...segments));
    const rel = relative(realRoot, realTarget);
    if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) return null;
    const info = await stat(realTarget);
    return info.isFile() ? realTarget : null;
  } catch {
    return null;
  }
}

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
