import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { protocol, type Session } from 'electron';
import { contentTypeFor, resolveMediaPath } from './core/media';
import type { MediaRoots } from './core/ports';
import { mediaPathFromUrl } from './url-trust';

/**
 * `media://local/<mediaPath>`: how the window shows photos, thumbnails and studio outputs.
 * Privileged as a standard, secure scheme so it works with fetch, <img> and streaming; must be
 * declared before the app is ready.
 */
export function registerMediaScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: 'media', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);
}

const notFound = () => new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });

/** Serves `media://local/...` in a session from the core's allow-listed roots only. */
export function serveMedia(session: Session, roots: () => MediaRoots): void {
  session.protocol.handle('media', async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return notFound();
    const mediaPath = mediaPathFromUrl(request.url);
    const file = mediaPath ? await resolveMediaPath(mediaPath, roots()) : null;
    const type = file ? contentTypeFor(file) : null;
    if (!file || !type) return notFound();
    const info = await stat(file);
    const headers = {
      'Content-Type': type,
      'Content-Length': String(info.size),
      'Cache-Control': 'private, max-age=3600',
      'X-Content-Type-Options': 'nosniff',
    };
    if (request.method === 'HEAD') return new Response(null, { status: 200, headers });
    const body = Readable.toWeb(createReadStream(file)) as unknown as ReadableStream<Uint8Array>;
    return new Response(body, { status: 200, headers });
  });
}
