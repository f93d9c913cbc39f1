import { readFile } from 'node:fs/promises';
import {
  encodeThumbnailBatch,
  THUMBNAIL_BATCH_MAX,
  THUMBNAIL_BATCH_PARAM,
} from '../../shared/thumbnail-batch';
import { openMediaFile } from './media-file';
import type { MediaRoots } from './ports';

/** Headers of a thumbnail batch answer (both shells send the same). */
export const THUMBNAIL_BATCH_HEADERS = {
  'Content-Type': 'application/octet-stream',
  // Each batch is a one-off combination of paths: the window keeps the thumbnails itself
  // (its own bounded cache), so neither the HTTP cache nor a shared cache stores it.
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; sandbox",
  'Content-Disposition': 'attachment',
};

/**
 * The answer to a thumbnail batch (`…/media/batch?path=thumbs/…&path=…`, decision 0060), or
 * null when the request itself is wrong (no paths, too many). Only thumbnails: each path must be
 * under `thumbs/` and is resolved inside the thumbnail root exactly as a single media request is,
 * so a batch can reach nothing a single request could not.
 */
export async function readThumbnailBatch(
  query: URLSearchParams,
  roots: MediaRoots,
): Promise<Uint8Array | null> {
  const paths = query.getAll(THUMBNAIL_BATCH_PARAM);
  if (paths.length === 0 || paths.length > THUMBNAIL_BATCH_MAX) return null;
  const files = await Promise.all(
    paths.map(async (mediaPath) => {
      if (!mediaPath.startsWith('thumbs/')) return null;
      // Read at once, not through the threadpool sharp's decodes occupy (decision 0056).
      const file = await openMediaFile(mediaPath, roots);
      if (!file) return null;
      try {
        return file.bytes ?? (await readFile(file.path));
      } catch {
        return null; // removed or unreadable since it was listed: that tile shows as broken
      }
    }),
  );
  return encodeThumbnailBatch(files);
}
