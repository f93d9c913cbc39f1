import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fixture, send, startFixture } from './helpers';

let f: Fixture;
beforeAll(async () => {
  f = await startFixture({ 'app:info': async () => ({ version: 'test' }) as never });
});
afterAll(() => f.cleanup());

describe('token', () => {
  it('refuses every route without a token (401)', async () => {
    for (const [method, path] of [
      ['GET', '/'],
      ['GET', '/index.html'],
      ['POST', '/api/app:info'],
      ['GET', '/api/events'],
      ['GET', '/media/folder/1/trip/beach.jpg'],
    ] as const) {
      const reply = await send(f.port, path, { method });
      expect(reply.status, `${method} ${path}`).toBe(401);
      expect(reply.text).not.toContain(f.token);
    }
  });

  it('refuses a wrong token in the query, header, bearer and cookie (401)', async () => {
    const wrong = `${f.token.slice(0, -1)}d`;
    const tries = [
      send(f.port, `/?token=${wrong}`),
      send(f.port, '/api/app:info', { method: 'POST', headers: { 'x-komorebi-token': wrong } }),
      send(f.port, '/api/app:info', { method: 'POST', headers: { authorization: `Bearer ${wrong}` } }),
      send(f.port, '/api/app:info', {
        method: 'POST',
        headers: { cookie: `komorebi_token_${f.port}=${wrong}` },
      }),
      send(f.port, '/api/app:info', { method: 'POST', headers: { 'x-komorebi-token': '' } }),
    ];
    for (const reply of await Promise.all(tries)) expect(reply.status).toBe(401);
    const noCookie = await send(f.port, `/?token=${wrong}`);
    expect(noCookie.headers['set-cookie']).toBeUndefined();
  });

  it('accepts the token in the query, the x-komorebi-token header and Authorization: Bearer', async () => {
    const tries = [
      send(f.port, `/api/app:info?token=${f.token}`, { method: 'POST' }),
      send(f.port, '/api/app:info', { method: 'POST', headers: { 'x-komorebi-token': f.token } }),
      send(f.port, '/api/app:info', { method: 'POST', headers: { authorization: `Bearer ${f.token}` } }),
    ];
    for (const reply of await Promise.all(tries)) {
      expect(reply.status).toBe(200);
      expect(JSON.parse(reply.text)).toEqual({ version: 'test' });
    }
  });

  it('sets an HttpOnly SameSite=Strict cookie when the page is opened with ?token=, then accepts the cookie alone', async () => {
    const page = await send(f.port, `/?token=${f.token}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<title>Komorebi</title>');
    const setCookie = page.headers['set-cookie']?.[0] ?? '';
    expect(setCookie.startsWith(`komorebi_token_${f.port}=`)).toBe(true);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/Path=\//);
    const cookie = setCookie.split(';')[0]!;
    const api = await send(f.port, '/api/app:info', { method: 'POST', headers: { cookie } });
    expect(api.status).toBe(200);
    const image = await send(f.port, '/media/folder/1/trip/beach.jpg', { headers: { cookie } });
    expect(image.status).toBe(200);
    const asset = await send(f.port, '/assets/app.js', { headers: { cookie } });
    expect(asset.status).toBe(200);
  });
});

describe('Host and Origin', () => {
  it('refuses a foreign Host even with a valid token (DNS rebinding): 403', async () => {
    for (const foreign of [
      `evil.example:${f.port}`,
      `127.0.0.1:${f.port + 1}`,
      '127.0.0.1',
      `localhost.evil:${f.port}`,
    ]) {
      const reply = await send(f.port, `/?token=${f.token}`, { headers: { host: foreign } });
      expect(reply.status, foreign).toBe(403);
      expect(reply.headers['set-cookie']).toBeUndefined();
    }
  });

  it('accepts 127.0.0.1, localhost and [::1] with the right port', async () => {
    for (const name of ['127.0.0.1', 'localhost', 'LOCALHOST', '[::1]']) {
      const reply = await send(f.port, `/?token=${f.token}`, { headers: { host: `${name}:${f.port}` } });
      expect(reply.status, name).toBe(200);
    }
  });

  it('refuses a foreign Origin (403) and accepts its own', async () => {
    const call = (origin: string) =>
      send(f.port, '/api/app:info', {
        method: 'POST',
        headers: { origin, 'x-komorebi-token': f.token, 'content-type': 'application/json' },
        body: '{}',
      });
    for (const origin of [
      'http://evil.example',
      `http://127.0.0.1:${f.port + 1}`,
      `https://127.0.0.1:${f.port}`,
      `http://127.0.0.1:${f.port}.evil.example`,
      'null',
    ]) {
      expect((await call(origin)).status, origin).toBe(403);
    }
    expect((await call(`http://127.0.0.1:${f.port}`)).status).toBe(200);
  });

  it('lets the user follow a link from another site to the page (top-level navigation), but not an embed', async () => {
    const visit = await send(f.port, `/?token=${f.token}`, {
      headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' },
    });
    expect(visit.status).toBe(200);
    const framed = await send(f.port, `/?token=${f.token}`, {
      headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'iframe' },
    });
    expect(framed.status).toBe(403);
    const posted = await send(f.port, `/api/app:info?token=${f.token}`, {
      method: 'POST',
      headers: { 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' },
    });
    expect(posted.status).toBe(403);
  });

  it('refuses a request the browser marks as cross-site', async () => {
    const reply = await send(f.port, `/media/folder/1/trip/beach.jpg?token=${f.token}`, {
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(reply.status).toBe(403);
  });
});

describe('security headers', () => {
  it('sends CSP, nosniff, no-referrer, DENY framing and cross-origin isolation on pages and on refusals', async () => {
    for (const reply of [await send(f.port, `/?token=${f.token}`), await send(f.port, '/')]) {
      expect(reply.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(reply.headers['cross-origin-embedder-policy']).toBe('require-corp');
      expect(reply.headers['content-security-policy']).toContain("default-src 'self'");
      expect(reply.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(reply.headers['x-content-type-options']).toBe('nosniff');
      expect(reply.headers['referrer-policy']).toBe('no-referrer');
      expect(reply.headers['x-frame-options']).toBe('DENY');
    }
  });
});
