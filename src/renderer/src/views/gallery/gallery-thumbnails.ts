import {
  decodeThumbnailBatch,
  THUMBNAIL_BATCH_PARAM,
  THUMBNAIL_BATCH_PATH,
} from '../../../../shared/thumbnail-batch';
import { mediaUrl } from '../../api/client';
import { encodeMediaPath } from '../../api/media';
import { ThumbnailStore } from './thumbnail-store';

/**
 * The window's one thumbnail store: batches from `…/media/batch` (browser mode and the
 * Electron `media:` protocol answer alike). `no-store`: the store is the cache.
 */
export const galleryThumbnails = new ThumbnailStore(async (paths, signal) => {
  const query = paths.map((path) => `${THUMBNAIL_BATCH_PARAM}=${encodeURIComponent(encodeMediaPath(path))}`);
  const response = await fetch(`${mediaUrl(THUMBNAIL_BATCH_PATH)}?${query.join('&')}`, {
    cache: 'no-store',
    signal,
  });
  if (!response.ok) throw new Error(`Thumbnails could not be loaded (HTTP ${response.status}).`);
  return decodeThumbnailBatch(new Uint8Array(await response.arrayBuffer()), paths.length);
});
