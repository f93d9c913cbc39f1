import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname } from 'node:path';
import { resolveInsideRoot, splitMediaPath } from '../core/media';
import { sendText } from './respond';

const staticTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The built renderer (out/renderer). `/` and any extensionless path (a view the window routes
 * itself) get index.html; a missing asset is a 404 rather than HTML the browser would try to
 * run as a script.
 */
export async function handleStatic(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  rendererDir: string,
  onPage: () => void,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    sendText(res, 405, 'Method not allowed');
    return;
  }
  const rel = pathname.replace(/^\/+/, '');
  const segments = rel === '' ? null : splitMediaPath(rel);
  let file = segments ? await resolveInsideRoot(rendererDir, segments) : null;
  const lastSegment = segments?.[segments.length - 1] ?? '';
  if (!file && (rel === '' || !lastSegment.includes('.')))
    file = await resolveInsideRoot(rendererDir, ['index.html']);
  const type = file ? staticTypes[extname(file).toLowerCase()] : undefined;
  if (!file || !type) {
    sendText(res, 404, 'Not found');
    return;
  }
  const isPage = type.startsWith('text/html');
  if (isPage) onPage();
  const info = await stat(file);
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Length': info.size,
    // Vite fingerprints assets; the page itself must always be revalidated to pick up a new build.
    'Cache-Control':
      isPage || !rel.startsWith('assets/') ? 'no-cache' : 'private, max-age=31536000, immutable',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
