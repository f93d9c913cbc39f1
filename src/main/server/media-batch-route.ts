import type { IncomingMessage, ServerResponse } from 'node:http';
import { THUMBNAIL_BATCH_MAX } from '../../shared/thumbnail-batch';
import { readThumbnailBatch, THUMBNAIL_BATCH_HEADERS } from '../core/media-batch';
import type { MediaRoots } from '../core/ports';
import { sendText } from './respond';

/** `GET /media/batch?path=thumbs/…&path=…`: several thumbnails in one answer (decision 0060). */
export async function handleThumbnailBatch(
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
  roots: MediaRoots,
): Promise<void> {
  if (req.method !== 'GET') {
    res.setHeader('Allow', 'GET');
    sendText(res, 405, 'Method not allowed');
    return;
  }
  const body = await readThumbnailBatch(query, roots);
  if (!body) {
    sendText(
      res,
      400,
      `A thumbnail batch names between 1 and ${THUMBNAIL_BATCH_MAX} thumbnails (path=thumbs/…).`,
    );
    return;
  }
  res.writeHead(200, { ...THUMBNAIL_BATCH_HEADERS, 'Content-Length': body.length });
  res.end(body);
}
