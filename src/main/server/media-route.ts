import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { openMediaFile } from '../core/media-file';
import type { MediaRoots } from '../core/ports';
import { sendText } from './respond';

/**
 * `GET /media/<mediaPath>`: a photo, thumbnail or studio output, only from the allow-listed
 * roots. Anything refused is a plain 404 that names no path.
 */
export async function handleMedia(
  req: IncomingMessage,
  res: ServerResponse,
  rawMediaPath: string,
  roots: MediaRoots,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    sendText(res, 405, 'Method not allowed');
    return;
  }
  const file = await openMediaFile(rawMediaPath, roots);
  if (!file) {
    sendText(res, 404, 'Not found');
    return;
  }
  const { type, size, mtimeMs } = file;
  const etag = `W/"${size.toString(16)}-${Math.floor(mtimeMs).toString(16)}"`;
  const headers: Record<string, string | number> = {
    'Content-Type': type,
    // Private: photos must never sit in a shared cache. Thumbnails change name when they change.
    'Cache-Control': 'private, max-age=3600',
    'Accept-Ranges': 'bytes',
    ETag: etag,
    'Last-Modified': new Date(mtimeMs).toUTCString(),
    // A media file is data, never a page: no script, no plugins, even if opened directly.
    'Content-Security-Policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
  };
  if (!type.startsWith('image/')) headers['Content-Disposition'] = 'attachment';
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const range = parseRange(req.headers.range, size);
  if (range === 'invalid') {
    res.writeHead(416, { ...headers, 'Content-Range': `bytes */${size}`, 'Content-Length': 0 });
    res.end();
    return;
  }
  const [start, end] = range ?? [0, size - 1];
  const status = range ? 206 : 200;
  if (range) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  headers['Content-Length'] = size === 0 ? 0 : end - start + 1;
  res.writeHead(status, headers);
  if (req.method === 'HEAD' || size === 0) {
    res.end();
    return;
  }
  if (file.bytes) {
    res.end(file.bytes.subarray(start, end + 1));
    return;
  }
  const stream = createReadStream(file.path, { start, end });
  stream.on('error', () => res.destroy());
  res.on('close', () => stream.destroy());
  stream.pipe(res);
}

/** One `bytes=` range (the only kind image and PDF viewers ask for); several ranges are served whole. */
export function parseRange(header: string | undefined, size: number): [number, number] | 'invalid' | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, from, to] = match;
  if (from === '' && to === '') return 'invalid';
  let start: number;
  let end: number;
  if (from === '') {
    const suffix = Number(to);
    if (suffix === 0) return 'invalid';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(from);
    end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  }
  if (start >= size || start > end) return 'invalid';
  return [start, end];
}
