import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { MediaRoots } from '../../src/main/core/ports';
import { EventStream } from '../../src/main/server/event-stream';
import { type RunningServer, type ServedCore, startServer } from '../../src/main/server/server';
import type { ApiHandlers } from '../../src/shared/api';

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

/** A raw HTTP request: the path goes on the wire exactly as given (no URL normalisation). */
export function send(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: options.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

export interface Fixture {
  dir: string;
  roots: MediaRoots;
  outside: string;
  photo: Buffer;
  rendererDir: string;
  events: EventStream;
  server: RunningServer;
  token: string;
  port: number;
  cleanup(): Promise<void>;
}

/**
 * A real server over real temp folders: a thumbnail cache, a studio folder, one watched folder
 * holding a real JPEG and a symlink to a secret file outside every root, and a built-renderer
 * stand-in. The core is a small fake: the core is not what these tests are about.
 */
export async function startFixture(handlers: Partial<ApiHandlers> = {}): Promise<Fixture> {
  const dir = await realpath(await mkdtemp(join(tmpdir(), 'komorebi-server-')));
  const thumbs = join(dir, 'data', 'thumbs');
  const studio = join(dir, 'data', 'studio');
  const photos = join(dir, 'Photos');
  const outside = join(dir, 'outside');
  const rendererDir = join(dir, 'renderer');
  for (const d of [thumbs, studio, join(photos, 'trip'), outside, join(rendererDir, 'assets')]) {
    await mkdir(d, { recursive: true });
  }
  const photo = await sharp({ create: { width: 32, height: 24, channels: 3, background: '#3a7' } })
    .jpeg()
    .toBuffer();
  await writeFile(join(photos, 'trip', 'beach.jpg'), photo);
  await writeFile(join(thumbs, 'ab.webp'), await sharp(photo).webp().toBuffer());
  await writeFile(join(outside, 'secret.jpg'), 'not for the window');
  await writeFile(join(photos, 'notes.html'), '<script>alert(1)</script>');
  await symlink(join(outside, 'secret.jpg'), join(photos, 'link-out.jpg'));
  await symlink(outside, join(photos, 'dir-out'));
  await writeFile(
    join(rendererDir, 'index.html'),
    '<!doctype html><title>Komorebi</title><div id="root"></div>',
  );
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log("hi")');

  const roots: MediaRoots = { thumbs, studio, folders: new Map([[1, photos]]) };
  const core: ServedCore = { handlers: handlers as ApiHandlers, mediaRoots: () => roots };
  const events = new EventStream(50);
  const token = 'a'.repeat(8) + 'b'.repeat(24) + 'c'.repeat(32);
  const server = await startServer({ core, events, port: 0, token, rendererDir });
  return {
    dir,
    roots,
    outside,
    photo,
    rendererDir,
    events,
    server,
    token,
    port: server.port,
    cleanup: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A certificate for 127.0.0.1 made for this run (openssl, as an admin would). */
export function selfSignedCertificate(dir: string): { cert: Buffer; key: Buffer } {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  return { cert: readFileSync(cert), key: readFileSync(key) };
}
