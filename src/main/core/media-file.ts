import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { contentTypeFor, localFileInside, resolveMediaPath, splitMediaPath } from './media';
import type { MediaRoots } from './ports';

/** What a media request serves. `bytes`: the whole file, read at once (see openMediaFile). */
export interface MediaFile {
  path: string;
  type: string;
  size: number;
  mtimeMs: number;
  bytes: Buffer | null;
}

/** A thumbnail is 10-150 KB; a studio page can be a few MB and is streamed like an original. */
export const READ_AT_ONCE_BYTES = 1024 * 1024;

/**
 * The file a media path names, by the same rules as resolveMediaPath, with its type and stamp.
 * Thumbnails and studio outputs lie in the app's own data directory on a local disk, usually
 * in the page cache: they are resolved, stat'ed and (if small) read synchronously, in well
 * under a millisecond. Through libuv's threadpool (4 threads, shared with sharp's decodes and
 * encodes during an import) the same seven small file operations waited behind 100 ms image
 * decodes: a 20 KB thumbnail took 40 ms while photos were indexed (decision 0056). Originals
 * in watched folders (network drives, sleeping disks) stay asynchronous and are streamed.
 */
export async function openMediaFile(mediaPath: string, roots: MediaRoots): Promise<MediaFile | null> {
  const segments = splitMediaPath(mediaPath);
  if (!segments) return null;
  const [area, ...rest] = segments;
  if (area === 'thumbs' || area === 'studio') {
    const root = area === 'thumbs' ? roots.thumbs : roots.studio;
    return rest.length > 0 && root ? localFile(root, join(root, ...rest)) : null;
  }
  const file = await resolveMediaPath(mediaPath, roots);
  const type = file ? contentTypeFor(file) : null;
  if (!file || !type) return null;
  const info = await stat(file);
  return { path: file, type, size: info.size, mtimeMs: info.mtimeMs, bytes: null };
}

function localFile(root: string, path: string): MediaFile | null {
  const found = localFileInside(root, path);
  const type = found && contentTypeFor(found.real);
  if (!found || !type) return null;
  const { real, info } = found;
  try {
    const bytes = info.size <= READ_AT_ONCE_BYTES ? readFileSync(real) : null;
    // Replaced between the stat and the read: the bytes read are what is served.
    return { path: real, type, size: bytes?.length ?? info.size, mtimeMs: info.mtimeMs, bytes };
  } catch {
    return null;
  }
}
