// Browser mode under attack from the machine and the network: a cookie that other local servers
// receive, serving on another interface, connection floods, and a client that never reads its
// event stream. Real servers on loopback, real sockets; every loop is bounded.
import { request as httpsRequest } from 'node:https';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventStream } from '../../src/main/server/event-stream';
import { isLoopbackHost, judgeExposure } from '../../src/main/server/exposure';
import { startServer } from '../../src/main/server/server';
import { tempDir } from '../helpers/temp';
import { type Fixture, type Reply, selfSignedCertificate, send, startFixture } from './helpers';

let f: Fixture;
beforeAll(async () => {
  f = await startFixture({ 'app:info': async () => ({ version: 'test' }) as never });
});
afterAll(() => f.cleanup());

const okHandlers = { 'app:info': async () => ({ version: 'test' }) } as never;

function sendTls(
  port: number,
  ca: Buffer,
  path: string,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port, path, ca, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the token cookie (other servers on this machine get every localhost cookie)', () => {
  it('is named for its port and holds a value derived for that port, not the token', async () => {
    const page = await send(f.port, `/?token=${f.token}`);
    const setCookie = page.headers['set-cookie']?.[0] ?? '';
    const [pair] = setCookie.split(';');
    const [name, value] = pair!.split('=');
    expect(name).toBe(`komorebi_token_${f.port}`);
    expect(value).not.toContain(f.token);
    expect(decodeURIComponent(value!)).not.toBe(f.token);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).not.toMatch(/Domain=/i);
    // The cookie admits this server; the token itself in a cookie does not.
    const withCookie = await send(f.port, '/api/app:info', { method: 'POST', headers: { cookie: pair! } });
    expect(withCookie.status).toBe(200);
    const tokenAsCookie = `komorebi_token_${f.port}=${f.token}`;
    expect(
      (await send(f.port, '/api/app:info', { method: 'POST', headers: { cookie: tokenAsCookie } })).status,
    ).toBe(401);
  });

  it("a second Komorebi on another port neither overwrites nor accepts the first one's cookie", async () => {
    const other = await startFixture({ 'app:info': async () => ({ version: 'other' }) as never });
    try {
      const a = (await send(f.port, `/?token=${f.token}`)).headers['set-cookie']![0]!.split(';')[0]!;
      const b = (await send(other.port, `/?token=${other.token}`)).headers['set-cookie']![0]!.split(';')[0]!;
      expect(a.split('=')[0]).not.toBe(b.split('=')[0]);
      // Same token on both (the fixture's), yet a cookie is good only on its own port.
      const aValue = a.split('=')[1];
      const forged = `komorebi_token_${other.port}=${aValue}`;
      expect(
        (await send(other.port, '/api/app:info', { method: 'POST', headers: { cookie: forged } })).status,
      ).toBe(401);
      expect(
        (await send(other.port, '/api/app:info', { method: 'POST', headers: { cookie: `${a}; ${b}` } }))
          .status,
      ).toBe(200);
    } finally {
      await other.cleanup();
    }
  });
});

describe('HTTPS (--tls-cert, --tls-key)', () => {
  it('serves over TLS with a __Host- cookie that is Secure, and refuses an http:// Origin', async () => {
    const temp = tempDir('komorebi-tls-');
    const tls = selfSignedCertificate(temp.dir);
    const events = new EventStream(60_000);
    const server = await startServer({
      core: { handlers: okHandlers, mediaRoots: () => f.roots },
      events,
      port: 0,
      token: f.token,
      rendererDir: f.rendererDir,
      tls,
    });
    try {
      expect(server.url.startsWith(`https://127.0.0.1:${server.port}/?token=`)).toBe(true);
      const page = await sendTls(server.port, tls.cert, `/?token=${f.token}`);
      expect(page.status).toBe(200);
      const setCookie = page.headers['set-cookie']?.[0] ?? '';
      expect(setCookie.startsWith(`__Host-komorebi_token_${server.port}=`)).toBe(true);
      expect(setCookie).toMatch(/; Secure/);
      expect(setCookie).toMatch(/Path=\//);
      expect(setCookie).not.toMatch(/Domain=/i);
      const cookie = setCookie.split(';')[0]!;
      expect(
        (await sendTls(server.port, tls.cert, '/media/folder/1/trip/beach.jpg', { cookie })).status,
      ).toBe(200);
      const origin = (o: string) => sendTls(server.port, tls.cert, `/?token=${f.token}`, { origin: o });
      expect((await origin(`https://127.0.0.1:${server.port}`)).status).toBe(200);
      expect((await origin(`http://127.0.0.1:${server.port}`)).status).toBe(403);
      // Plain HTTP to the TLS port gets no page.
      await expect(send(server.port, `/?token=${f.token}`)).rejects.toThrow();
    } finally {
      await server.close();
      temp.cleanup();
    }
  });
});

describe('serving on another interface', () => {
  it('is refused without TLS before anything listens, saying what to do', async () => {
    for (const host of ['0.0.0.0', '::', '192.0.2.10']) {
      await expect(
        startServer({
          core: { handlers: okHandlers, mediaRoots: () => f.roots },
          events: new EventStream(),
          host,
          port: 0,
          token: f.token,
          rendererDir: f.rendererDir,
        }),
      ).rejects.toThrow(/will not serve plain HTTP.*--tls-cert and --tls-key.*--insecure-http/);
    }
  });

  it('tells loopback from the network, and says what --insecure-http exposes', () => {
    for (const host of ['127.0.0.1', '127.0.0.2', 'localhost', 'LOCALHOST', '::1', '[::1]']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of [
      '0.0.0.0',
      '::',
      '192.168.1.5',
      '10.0.0.1',
      'photos.home',
      '::ffff:127.0.0.1x',
      '1270.0.0.1',
    ]) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
    expect(judgeExposure('127.0.0.1', { tls: false })).toEqual({});
    expect(judgeExposure('0.0.0.0', { tls: true })).toEqual({});
    const insecure = judgeExposure('0.0.0.0', { tls: false, insecureHttp: true });
    expect(insecure.refused).toBeUndefined();
    expect(insecure.warning).toMatch(/every network interface.*access token.*photos.*OpenAI key/);
  });
});

function openIdle(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.on('error', () => {}); // the server may close it: that is the point
    socket.once('error', reject);
  });
}

function closed(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed || socket.readyState === 'closed') resolve();
    else socket.once('close', () => resolve());
  });
}

/** One HTTP/1.1 request on a socket that stays open (keep-alive), and its status. */
function requestOn(socket: Socket, port: number, token: string): Promise<number> {
  return new Promise((resolve) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const m = /^HTTP\/1\.1 (\d+)/.exec(text);
      if (m && text.includes('\r\n\r\n')) {
        socket.off('data', onData);
        resolve(Number(m[1]));
      }
    };
    socket.on('data', onData);
    socket.write(
      `POST /api/app:info HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nx-komorebi-token: ${token}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}',
    );
  });
}

describe('connection caps', () => {
  it('closes the oldest connections that never showed the token, and keeps the user served', async () => {
    const server = await startServer({
      core: { handlers: okHandlers, mediaRoots: () => f.roots },
      events: new EventStream(60_000),
      port: 0,
      token: f.token,
      rendererDir: f.rendererDir,
      limits: { maxConnections: 40, maxUnauthenticated: 8 },
    });
    const sockets: Socket[] = [];
    try {
      // The user's connection, admitted by a request with the token.
      const mine = await openIdle(server.port);
      sockets.push(mine);
      expect(await requestOn(mine, server.port, f.token)).toBe(200);
      // A flood of idle connections (slow loris: connect, send nothing).
      for (let i = 0; i < 30; i++) sockets.push(await openIdle(server.port));
      await Promise.all(sockets.slice(1, 23).map(closed));
      expect(server.unauthenticatedConnections()).toBeLessThanOrEqual(8);
      // The user's keep-alive connection was never counted, so never closed.
      expect(await requestOn(mine, server.port, f.token)).toBe(200);
      // And a new connection from the user still gets in.
      const fresh = await openIdle(server.port);
      sockets.push(fresh);
      expect(await requestOn(fresh, server.port, f.token)).toBe(200);
    } finally {
      for (const s of sockets) s.destroy();
      await server.close();
    }
  });
});

describe('open connections', () => {
  it('are capped in total: beyond the cap a new connection is closed at once', async () => {
    const server = await startServer({
      core: { handlers: okHandlers, mediaRoots: () => f.roots },
      events: new EventStream(60_000),
      port: 0,
      token: f.token,
      rendererDir: f.rendererDir,
      limits: { maxConnections: 6, maxUnauthenticated: 32 },
    });
    const sockets: Socket[] = [];
    try {
      for (let i = 0; i < 6; i++) {
        const socket = await openIdle(server.port);
        sockets.push(socket);
        expect(await requestOn(socket, server.port, f.token)).toBe(200);
      }
      const extra = await openIdle(server.port);
      sockets.push(extra);
      await closed(extra);
      // The six that were in keep going.
      expect(await requestOn(sockets[0]!, server.port, f.token)).toBe(200);
    } finally {
      for (const s of sockets) s.destroy();
      await server.close();
    }
  });
});

describe('event stream backpressure', () => {
  it('closes the stream of a client that stops reading instead of buffering without bound', async () => {
    const slow = await openIdle(f.port);
    try {
      let head = '';
      const opened = new Promise<void>((resolve) => {
        slow.on('data', (chunk: Buffer) => {
          head += chunk.toString();
          if (head.includes(': connected')) resolve();
        });
      });
      slow.write(`GET /api/events?token=${f.token} HTTP/1.1\r\nHost: 127.0.0.1:${f.port}\r\n\r\n`);
      await opened;
      slow.pause(); // never reads again: the kernel buffers fill, then the server's would
      const before = f.events.droppedSlowClients;
      const big = { path: 'x'.repeat(64 * 1024), kind: 'file', reason: 'a long reason' };
      // Up to 64 MB of events, far more than the socket buffers hold; stop once it is dropped.
      for (let i = 0; i < 1024 && f.events.droppedSlowClients === before; i++) {
        f.events.emit('activity:problem', big);
        if (i % 16 === 15) await new Promise((r) => setImmediate(r));
      }
      expect(f.events.droppedSlowClients).toBe(before + 1);
      expect(f.events.clientCount).toBe(0);
      slow.resume();
      await closed(slow);
    } finally {
      slow.destroy();
    }
  });
});
