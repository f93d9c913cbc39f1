import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../src/renderer/src/api/create-api';
import { cleanIpcErrorMessage, errorMessage } from '../../src/renderer/src/api/errors';
import { encodeMediaPath, mediaUrlFor } from '../../src/renderer/src/api/media';
import { takeTokenFromUrl } from '../../src/renderer/src/api/token';
import { createHttpTransport } from '../../src/renderer/src/api/transport-http';
import { createIpcTransport, type KomorebiBridge } from '../../src/renderer/src/api/transport-ipc';

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body;
}

// A local HTTP server speaking browser mode's wire protocol: POST /api/<method>, JSON in and
// out, {error:{name,message}} on failure, token in x-komorebi-token.
let server: Server;
let baseUrl: string;
const seen: { method: string; token: string | undefined; body: unknown }[] = [];

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const method = decodeURIComponent((req.url ?? '').replace(/^\/api\//, ''));
    const body = JSON.parse((await readBody(req)) || 'null');
    seen.push({ method, token: req.headers['x-komorebi-token'] as string | undefined, body });
    res.setHeader('content-type', 'application/json');
    if (req.headers['x-komorebi-token'] !== 'secret') {
      res.statusCode = 401;
      res.end('{}');
    } else if (method === 'folders:add') {
      res.statusCode = 400;
      res.end(
        JSON.stringify({
          error: { name: 'UserError', message: 'Folder /nope does not exist. Check the path.' },
        }),
      );
    } else if (method === 'folders:list') {
      res.end(JSON.stringify([{ id: 1, path: '/photos', status: 'watching' }]));
    } else {
      res.statusCode = 404;
      res.end('not json');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('api client over HTTP (browser mode)', () => {
  it('posts JSON to /api/<method> with the token header and returns the answer', async () => {
    const api = createApi(createHttpTransport({ baseUrl, token: 'secret' }));
    const folders = await api['folders:list']({});
    expect(folders).toEqual([{ id: 1, path: '/photos', status: 'watching' }]);
    expect(seen.at(-1)).toEqual({ method: 'folders:list', token: 'secret', body: {} });
  });

  it("throws the server's message for an error body, a useful one otherwise", async () => {
    const api = createApi(createHttpTransport({ baseUrl, token: 'secret' }));
    await expect(api['folders:add']({ path: '/nope' })).rejects.toThrow(
      'Folder /nope does not exist. Check the path.',
    );
    expect(seen.at(-1)?.body).toEqual({ path: '/nope' });
    await expect(api['photos:get']({ id: 3 })).rejects.toThrow('could not complete photos:get (HTTP 404)');
    const anonymous = createApi(createHttpTransport({ baseUrl, token: null }));
    await expect(anonymous['folders:list']({})).rejects.toThrow('access token');
  });

  it('says the server is down when nothing answers', async () => {
    const api = createApi(createHttpTransport({ baseUrl: 'http://127.0.0.1:9', token: 'secret' }));
    await expect(api['library:status']({})).rejects.toThrow('did not answer library:status');
  });

  it('is not mistaken for a promise', () => {
    const api = createApi(createHttpTransport({ baseUrl, token: 'secret' }));
    expect((api as unknown as { then?: unknown }).then).toBeUndefined();
  });
});

describe('api client over the preload bridge (Electron)', () => {
  it('calls the named bridge function and unwraps IPC error messages', async () => {
    const bridge = {
      'folders:list': async () => ({ ok: true, value: [] }),
      // Electron itself failing the invoke (our handlers answer with { ok: false, error }).
      'folders:add': async () => {
        throw new Error(
          "Error invoking remote method 'folders:add': UserError: Folder /x is already watched.",
        );
      },
      onEvent: () => () => {},
    } as unknown as KomorebiBridge;
    const api = createApi(createIpcTransport(bridge));
    expect(await api['folders:list']({})).toEqual([]);
    await expect(api['folders:add']({ path: '/x' })).rejects.toThrow(/^Folder \/x is already watched\.$/);
    await expect(api['jobs:pause']({})).rejects.toThrow('does not offer');
    expect(cleanIpcErrorMessage('Error: plain')).toBe('plain');
  });
});

describe('errorMessage', () => {
  it("is an error's message, or anything else thrown as text", () => {
    expect(errorMessage(new Error('The folder /x does not exist.'))).toBe('The folder /x does not exist.');
    expect(errorMessage('offline')).toBe('offline');
    expect(errorMessage(undefined)).toBe('undefined');
  });
});

describe('media URLs and the page token', () => {
  it('encodes every path segment', () => {
    expect(encodeMediaPath('folder/3/My Trip/a#1?.jpg')).toBe('folder/3/My%20Trip/a%231%3F.jpg');
    expect(mediaUrlFor('media://local/', 'thumbs/ab/abcd_s.webp')).toBe(
      'media://local/thumbs/ab/abcd_s.webp',
    );
    expect(mediaUrlFor('/media/', 'folder/1/100%.jpg')).toBe('/media/folder/1/100%25.jpg');
    expect(createHttpTransport({ token: null }).mediaUrl('folder/1/ü.jpg')).toBe(
      '/media/folder/1/%C3%BC.jpg',
    );
  });

  it('takes the token out of the page URL, keeping the rest', () => {
    expect(takeTokenFromUrl('http://127.0.0.1:5000/?token=abc&view=1#settings')).toEqual({
      token: 'abc',
      cleanUrl: '/?view=1#settings',
    });
    expect(takeTokenFromUrl('http://127.0.0.1:5000/index.html')).toEqual({
      token: null,
      cleanUrl: '/index.html',
    });
  });
});
