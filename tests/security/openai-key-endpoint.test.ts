// Attack: move the user's OpenAI key to another server. `studio:settings` took any http(s)
// `baseUrl`, and test-key, the model list and Generate sent the saved key there, so one call
// from a script in the window (or anyone holding the browser-mode token) made the key travel
// to a server of its choosing, in clear text over http. Now the key is saved with the endpoint
// it was typed for and goes there only (decision 0032).
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/core/library/db';
import { SettingsStore } from '../../src/main/core/library/settings';
import { Redactor } from '../../src/main/core/redact';
import { OpenAIKey } from '../../src/main/core/studio/api-key';
import { checkOpenAIAccess } from '../../src/main/core/studio/connection';
import { StudioSettingsStore } from '../../src/main/core/studio/settings';
import type { ComicSession } from '../../src/shared/model';
import { tempDir } from '../helpers/temp';
import { type FakeOpenAI, startFakeOpenAI } from '../studio/fake-openai';
import { MemorySecretStore, OPTIONS } from '../studio-sessions/setup';
import { type BrowserCore, onePhotoLibrary, startBrowserCore } from './browser-core';
import { type CaptureServer, startCaptureServer } from './capture-server';

let app: BrowserCore;
let fake: FakeOpenAI;
let capture: CaptureServer;
let session: ComicSession;

const json = (text: string) => JSON.parse(text) as Record<string, unknown> & { error?: { message: string } };
const bearer = () => `Bearer ${fake.apiKey}`;

/** Everything that can carry the key out: Test key, the model list, Generate. */
async function tryEverything(): Promise<{ testKey: string; generate: { status: number; text: string } }> {
  const testKey = json((await app.call('studio:test-key', {})).text);
  await app.call('studio:models', { refresh: true });
  await app.call('studio:options', {});
  const generate = await app.call('studio:generate', {
    id: session.id,
    prompt: 'A day out',
    options: OPTIONS,
  });
  if (generate.status === 200) await drawingsEnded();
  return { testKey: String(testKey.message), generate };
}

/** Every version of the comic has finished (done or failed): nothing more is on its way out. */
async function drawingsEnded(): Promise<ComicSession> {
  const until = Date.now() + 60_000;
  for (;;) {
    const got = json((await app.call('studio:get', { id: session.id })).text) as unknown as ComicSession;
    if (got.versionList.every((v) => v.state !== 'generating') || Date.now() > until) return got;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function restoreUserKey(): Promise<void> {
  const reply = await app.call('studio:set-key', { key: fake.apiKey, baseUrl: fake.baseURL });
  expect(reply.status).toBe(200);
}

beforeAll(async () => {
  delete process.env.OPENAI_API_KEY;
  delete process.env.OPENAI_BASE_URL;
  fake = await startFakeOpenAI();
  capture = await startCaptureServer();
  app = await startBrowserCore({
    library: onePhotoLibrary('day.jpg'),
  });
  const page = json((await app.call('photos:list', { limit: 10 })).text) as unknown as {
    items: { id: number }[];
  };
  session = json(
    (await app.call('studio:create', { photoIds: [page.items[0]!.id] })).text,
  ) as unknown as ComicSession;
  await app.call('studio:settings', { referenceMaxSide: 256 });
  await restoreUserKey();
}, 120_000);

afterAll(async () => {
  await app?.close();
  await fake?.close();
  await capture?.close();
});

describe('the OpenAI key goes only where the user entered it', () => {
  it('control: the key reaches the endpoint it was saved for (Test key, model list, Generate)', async () => {
    const before = fake.requests.length;
    const { testKey, generate } = await tryEverything();
    expect(testKey).toMatch(/^The key works/);
    expect(generate.status).toBe(200);
    const versionId = (json(generate.text) as { versionIds: number[] }).versionIds[0]!;
    expect((await drawingsEnded()).versionList.find((v) => v.id === versionId)?.state).toBe('done');
    const sent = fake.requests.slice(before);
    expect(sent.map((r) => r.path)).toEqual(expect.arrayContaining(['/v1/models', '/v1/responses']));
    expect(sent.every((r) => r.headers.authorization === bearer())).toBe(true);
  }, 90_000);

  it('the endpoint is not a setting any more: studio:settings with a baseUrl is a 400 and nothing reaches the other server', async () => {
    const reply = await app.call('studio:settings', { baseUrl: capture.baseURL });
    expect(reply.status).toBe(400);
    expect(json(reply.text).error?.message).toMatch(/baseUrl/);
    await tryEverything();
    expect(capture.requests).toEqual([]);
  });

  it('past the schema, a changed endpoint gets no key: Test key and Generate say where the key is for', async () => {
    await app.core.handlers['studio:settings']({ baseUrl: capture.baseURL } as never);
    const { testKey, generate } = await tryEverything();
    expect(testKey).toContain(`The saved API key is for ${fake.baseURL}, not for ${capture.baseURL}`);
    expect(generate.status).toBe(422);
    expect(json(generate.text).error?.message).toContain('Komorebi sends a key only where you entered it');
    expect(capture.requests).toEqual([]);
    await app.core.handlers['studio:settings']({ baseUrl: fake.baseURL } as never);
    expect((await tryEverything()).testKey).toMatch(/^The key works/);
  });

  it('moving the endpoint through set-key without the key forgets the key: it never travels', async () => {
    const reply = await app.call('studio:set-key', { key: null, baseUrl: capture.baseURL });
    expect(reply.status).toBe(200);
    const { testKey, generate } = await tryEverything();
    expect(testKey).toMatch(/No OpenAI API key is set/);
    expect(generate.status).toBe(422);
    expect(capture.requests).toEqual([]);
    expect([...app.secrets.values()].join('\n')).not.toContain(fake.apiKey);
    await restoreUserKey();
  });

  it("with a key of the caller's own, the other server receives that key and never the user's", async () => {
    const reply = await app.call('studio:set-key', {
      key: 'sk-caller-own-key-0000',
      baseUrl: capture.baseURL,
    });
    expect(reply.status).toBe(200);
    await tryEverything();
    expect(capture.credentials().length).toBeGreaterThan(0);
    expect(capture.credentials().every((c) => c === 'Bearer sk-caller-own-key-0000')).toBe(true);
    capture.requests.length = 0;
    await restoreUserKey();
  });

  it('a settings row and a bare key saved by an earlier version: the key goes only to OpenAI', async () => {
    app.secrets.delete('openai-api-key-confirmed');
    app.secrets.set('openai-api-key', fake.apiKey);
    const db = openDatabase(join(app.dataDir, 'library.db'));
    new SettingsStore(db).set('studio.settings', { baseUrl: capture.baseURL });
    db.close();
    const { testKey } = await tryEverything();
    expect(testKey).toContain('The saved API key is for https://api.openai.com/v1');
    expect(capture.requests).toEqual([]);
    await restoreUserKey();
    expect(app.secrets.has('openai-api-key')).toBe(false);
  });

  it('plain http is refused for another computer, in the Api and again where the request is made', async () => {
    const lan = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    const outside = lan ? await startCaptureServer(lan) : null;
    const target = outside?.baseURL ?? 'http://komorebi-test.invalid:8080/v1';
    try {
      const reply = await app.call('studio:set-key', { key: fake.apiKey, baseUrl: target });
      expect(reply.status).toBe(400);
      expect(json(reply.text).error?.message).toMatch(/plain http only to this computer/);
      const settings = new StudioSettingsStore(openDatabase(':memory:'));
      const key = new OpenAIKey(new MemorySecretStore(), settings, new Redactor());
      await expect(key.save(fake.apiKey, target)).rejects.toThrow(/in clear text over the network/);
      await expect(
        checkOpenAIAccess({ apiKey: fake.apiKey, baseURL: target }, ['gpt-6-luna']),
      ).rejects.toThrow(/plain http only to this computer/);
      expect(outside?.requests ?? []).toEqual([]);
    } finally {
      await outside?.close();
    }
    // Loopback over http is this computer (a local gateway, the tests' own server): allowed.
    const local = await app.call('studio:set-key', { key: fake.apiKey, baseUrl: fake.baseURL });
    expect(local.status).toBe(200);
  });

  it('no name or password in the address, no other scheme', async () => {
    for (const baseUrl of [
      'https://user:pass@gateway.example/v1',
      'ftp://gateway.example/v1',
      'file:///etc/passwd',
    ]) {
      const reply = await app.call('studio:set-key', { key: fake.apiKey, baseUrl });
      expect(reply.status, baseUrl).toBe(400);
    }
  });

  it('a key from the environment goes only to OpenAI or to OPENAI_BASE_URL from the same environment', async () => {
    const db = openDatabase(':memory:');
    const settings = new StudioSettingsStore(db);
    const env = { OPENAI_API_KEY: 'sk-from-the-environment', OPENAI_BASE_URL: '' };
    const key = new OpenAIKey(undefined, settings, new Redactor(), env);
    expect(await key.access()).toMatchObject({
      endpoint: 'https://api.openai.com/v1',
      apiKey: env.OPENAI_API_KEY,
    });
    settings.update({ baseUrl: capture.baseURL });
    expect(await key.access()).toMatchObject({ endpoint: capture.baseURL, apiKey: undefined });
    const gateway = new OpenAIKey(undefined, settings, new Redactor(), {
      ...env,
      OPENAI_BASE_URL: capture.baseURL,
    });
    expect((await gateway.access()).apiKey).toBe(env.OPENAI_API_KEY);
    db.close();
  });
});

describe('the same key in two spellings of one endpoint', () => {
  it('compares endpoints as URLs: case of the host, a trailing slash and a default port do not matter', async () => {
    const data = tempDir('komorebi-key-');
    const db = openDatabase(join(data.dir, 'library.db'));
    try {
      const key = new OpenAIKey(new MemorySecretStore(), new StudioSettingsStore(db), new Redactor());
      await key.save('sk-spelled-key-000', 'https://Gateway.Example:443/v1/');
      expect(await key.access()).toMatchObject({
        endpoint: 'https://gateway.example/v1',
        apiKey: 'sk-spelled-key-000',
      });
    } finally {
      db.close();
      data.cleanup();
    }
  });
});
