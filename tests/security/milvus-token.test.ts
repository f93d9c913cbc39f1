// Attack: make the core send the saved Milvus token to another server. `vectors:configure`
// with a new URI and no token opened the new store with the token saved for the old one, so a
// caller who never knew the token had it sent to a server of its choosing. Now the token is
// saved with its server's URI and goes there only (decision 0032).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOfflineModel } from '../../scripts/models/build-offline-model';
import { openDatabase } from '../../src/main/core/library/db';
import { Redactor } from '../../src/main/core/redact';
import { StoreChoice } from '../../src/main/core/search/vector-index/store-choice';
import { testStore } from '../../src/main/core/search/vector-index/test-store';
import { type MilvusLiteServer, startMilvusLite } from '../../src/main/core/vectors/milvus-lite';
import { tempDir } from '../helpers/temp';
import { MemorySecretStore } from '../studio-sessions/setup';
import { type AuthMilvusServer, startAuthMilvusServer } from '../vectors/milvus-auth-server';
import { type BrowserCore, startBrowserCore } from './browser-core';

const TOKEN = 'root:the-users-milvus-password';
let app: BrowserCore;
let lite: MilvusLiteServer;
let other: AuthMilvusServer;
const temp = tempDir('komorebi-milvus-token-');

const status = async () =>
  JSON.parse((await app.call('vectors:status', {})).text) as { kind: string; location: string };

beforeAll(async () => {
  buildOfflineModel(); // an active model, so configure really opens the new store
  lite = await startMilvusLite({ dataDir: temp.dir });
  other = await startAuthMilvusServer('the-other-servers-own-token');
  app = await startBrowserCore();
  const saved = await app.call('vectors:configure', {
    config: { kind: 'milvus', uri: lite.uri, token: TOKEN },
  });
  expect(saved.status, saved.text).toBe(200);
  const until = Date.now() + 60_000;
  while ((await status()).location !== lite.uri && Date.now() < until)
    await new Promise((r) => setTimeout(r, 100));
  expect((await status()).location).toBe(lite.uri);
}, 120_000);

afterAll(async () => {
  await app?.close();
  await lite?.stop();
  await other?.stop();
  temp.cleanup();
});

describe('the Milvus token goes only to the server it was saved for', () => {
  it('configuring another URI without a token: the new server gets no token', async () => {
    const reply = await app.call('vectors:configure', { config: { kind: 'milvus', uri: other.uri } });
    expect(reply.status).toBe(502); // it wants a token of its own
    expect(JSON.parse(reply.text).error.message).toMatch(/token/);
    expect(other.tokensSeen.length).toBeGreaterThan(0); // it was reached
    expect(other.tokensSeen.every((t) => t === '')).toBe(true);
    expect((await status()).location).toBe(lite.uri); // the old store is still in use
  });

  it('testing another URI without a token: no token either', async () => {
    const before = other.tokensSeen.length;
    const reply = await app.call('vectors:test', { config: { kind: 'milvus', uri: other.uri } });
    expect(JSON.parse(reply.text)).toMatchObject({ ok: false });
    expect(other.tokensSeen.length).toBeGreaterThan(before);
    expect(other.tokensSeen.every((t) => t === '')).toBe(true);
  });

  it('the same server saved again without a token keeps its token (it was forgotten before)', async () => {
    const reply = await app.call('vectors:configure', { config: { kind: 'milvus', uri: lite.uri } });
    expect(reply.status).toBe(200);
    expect(JSON.parse(app.secrets.get('milvus-token')!)).toEqual({ uri: lite.uri, token: TOKEN });
  });

  it('the token is in no answer and not in the database', async () => {
    const answers = [
      await app.call('vectors:status', {}),
      await app.call('vectors:test', { config: { kind: 'milvus', uri: lite.uri } }),
    ];
    for (const a of answers) expect(a.text).not.toContain(TOKEN);
    const db = openDatabase(`${app.dataDir}/library.db`);
    const rows = db.prepare('SELECT value FROM settings').pluck().all() as string[];
    db.close();
    expect(rows.join('\n')).not.toContain(TOKEN);
  });
});

describe('StoreChoice', () => {
  it('sends the saved token to its own server, which accepts it, and to no other', async () => {
    const own = await startAuthMilvusServer(TOKEN);
    const data = tempDir('komorebi-choice-');
    const db = openDatabase(`${data.dir}/library.db`);
    try {
      const choice = new StoreChoice(db, new MemorySecretStore(), new Redactor());
      await choice.save({ kind: 'milvus', uri: own.uri, token: TOKEN });
      expect(await testStore({ kind: 'milvus', uri: own.uri }, data.dir, choice)).toMatchObject({ ok: true });
      expect(own.tokensSeen).toContain(TOKEN);
      expect(await choice.connection({ kind: 'milvus', uri: `${own.uri}/` })).toMatchObject({ token: TOKEN });
      expect(await choice.connection({ kind: 'milvus', uri: other.uri })).toMatchObject({ token: undefined });
      expect(await choice.connection({ kind: 'milvus', uri: other.uri, token: 'typed' })).toMatchObject({
        token: 'typed',
      });
      await choice.save({ kind: 'embedded' });
      expect(await choice.connection({ kind: 'milvus', uri: own.uri })).toMatchObject({ token: undefined });
    } finally {
      db.close();
      data.cleanup();
      await own.stop();
    }
  });

  it('a bare token saved by an earlier version belongs to the server chosen then', async () => {
    const data = tempDir('komorebi-choice-');
    const db = openDatabase(`${data.dir}/library.db`);
    try {
      const secrets = new MemorySecretStore();
      const choice = new StoreChoice(db, secrets, new Redactor());
      await choice.save({ kind: 'milvus', uri: 'https://milvus.example:19530' });
      secrets.values.set('milvus-token', TOKEN);
      expect(await choice.connection({ kind: 'milvus', uri: 'https://milvus.example:19530' })).toMatchObject({
        token: TOKEN,
      });
      expect(await choice.connection({ kind: 'milvus', uri: other.uri })).toMatchObject({ token: undefined });
    } finally {
      db.close();
      data.cleanup();
    }
  });
});

describe('a password in the Milvus URI', () => {
  it('is refused, so it is never saved, shown or logged as part of the address', async () => {
    for (const uri of [`http://root:${TOKEN}@127.0.0.1:19530`, `root:${TOKEN}@127.0.0.1:19530`]) {
      for (const method of ['vectors:configure', 'vectors:test']) {
        const reply = await app.call(method, { config: { kind: 'milvus', uri } });
        expect(reply.status).toBe(400);
        expect(reply.text).not.toContain(TOKEN);
        expect(JSON.parse(reply.text).error.message).toMatch(/in Token \(user:password\), not in the URI/);
      }
    }
    expect((await status()).location).toBe(lite.uri);
  });
});
