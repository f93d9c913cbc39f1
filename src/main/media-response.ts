import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { THUMBNAIL_BATCH_MAX, THUMBNAIL_BATCH_PATH } from '../shared/thumbnail-batch';
import { readThumbnailBatch, THUMBNAIL_BATCH_HEADERS } from './core/media-batch';
import { openMediaFile } from './core/media-file';
import type { MediaRoots } from './core/ports';
import { mediaPathFromUrl } from './url-trust';

const notFound = () => new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });

/**
 * The answer to a `media://local/<mediaPath>` request (fetch API Request/Response, as
 * `protocol.handle` wants), kept free of Electron so it is tested in plain Node.
 */
export async function answerMediaRequest(
  request: Pick<Request, 'method' | 'url'>,
  roots: MediaRoots,
): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return notFound();
  const mediaPath = mediaPathFromUrl(request.url);
  if (mediaPath === THUMBNAIL_BATCH_PATH && request.method === 'GET') {
    const body = await readThumbnailBatch(new URL(request.url).searchParams, roots);
    if (!body)
      return new Response(`A thumbnail batch names between 1 and ${THUMBNAIL_BATCH_MAX} thumbnails.`, {
        status: 400,
        headers: { 'Content-Type': 'text/plain' },
      });
    // The window is a file:// page (an opaque origin) fetching from media://local: a
    // cross-origin read, allowed for batches of thumbnails only, which any page of this
    // session could already show with <img> (and only the app's pages load in it).
    return new Response(body, {
      status: 200,
      headers: { ...THUMBNAIL_BATCH_HEADERS, 'Access-Control-Allow-Origin': '*' },
    });
  }
  const file = mediaPath ? await openMediaFile(mediaPath, roots) : null;
  if (!file) return notFound();
  const headers = {
    'Content-Type': file.type,
    'Content-Length': String(file.size),
    'Cache-Control': 'private, max-age=3600',
    'X-Content-Type-Options': 'nosniff',
  };
  if (request.method === 'HEAD') return new Response(null, { status: 200, headers });
  if (file.bytes) return new Response(new Uint8Array(file.bytes), { status: 200, headers });
  const body = Readable.toWeb(createReadStream(file.path)) as unknown as ReadableStream<Uint8Array>;
  return new Response(body, { status: 200, headers });
}
