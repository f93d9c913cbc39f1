import { basename, extname, sep } from 'node:path';

/** Extensions the scanner picks up. Content decides the format; the extension only selects candidates. */
export const PHOTO_EXTENSIONS = new Set([
  '.jpg',
  '.jpeg',
  '.png',
  '.webp',
  '.gif',
  '.avif',
  '.tif',
  '.tiff',
  '.heic',
  '.heif',
]);

/** What sharp reports for content we accept (AVIF and HEIC both report 'heif'). */
export const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'heif', 'tiff']);

/** Folders that hold system files, trash or other programs' caches, never the user's photos. */
const SYSTEM_FOLDERS = new Set([
  '$recycle.bin',
  'system volume information',
  '@eadir',
  'node_modules',
  'lost+found',
  '#recycle',
  '#snapshot',
  '__macosx',
]);

/** Dot files are skipped too: macOS leaves `._IMG_0001.jpg` AppleDouble stubs beside photos on other disks. */
export function isPhotoName(name: string): boolean {
  return !name.startsWith('.') && PHOTO_EXTENSIONS.has(extname(name).toLowerCase());
}

export function isHeicName(name: string): boolean {
  const ext = extname(name).toLowerCase();
  return ext === '.heic' || ext === '.heif';
}

/** Hidden (dot) folders cover .Trashes, .thumbnails, .git and the like. */
export function isSkippedFolderName(name: string): boolean {
  return name.startsWith('.') || SYSTEM_FOLDERS.has(name.toLowerCase());
}

export function isInside(child: string, parent: string): boolean {
  if (child === parent) return true;
  const p = parent.endsWith(sep) ? parent : parent + sep;
  return child.startsWith(p);
}

/** Ignore rule shared by the scanner and the watcher (path-based, for chokidar). */
export function makeFolderFilter(root: string, dataDir: string): (dirPath: string) => boolean {
  return (dirPath) => {
    if (dirPath === root) return false;
    if (isInside(dirPath, dataDir)) return true;
    return isSkippedFolderName(basename(dirPath));
  };
}
