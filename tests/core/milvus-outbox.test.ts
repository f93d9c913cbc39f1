// The vector index on a real Milvus Lite server: switching stores copies vectors from
// SQLite without re-embedding, a server killed while vectors are written loses nothing
// (the outbox grows, Activity can show it), and a restarted server drains the outbox until
// its count matches SQLite.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOfflineModel } from '../../scripts/models/build-offline-model';
import { type Core, createCore, dataPaths } from '../../src/main/core/app';
import { openDatabase } from '../../src/main/core/library/db';
import { openMilvusStore, testConnection } from '../../src/main/core/vectors/milvus';
import {
  freeLoopbackPort,
  type MilvusLiteServer,
  startMilvusLite,
} from '../../src/main/core/vectors/milvus-lite';
import type { VectorStoreStatus } from '../../src/shared/model';
import { drawScene } from '../embed/helpers';
import { waitUntilSettled } from '../helpers/settle';
import { RecordingNotifier, tempDir } from '../helpers/temp';

let core: Core;
let lite: MilvusLiteServer | null = null;
let port: number;
let milvusDir: string;
let photosDir: string;
let dataDir: string;
const secrets = new Map<string, string>();
/** Photos added while Milvus Lite is killed, and the library's size after them. */
const ADDED = 6;
const TOTAL = 7 + ADDED;
const cleanups: (() => void)[] = [];

async function waitForStatus(
  check: (s: VectorStoreStatus) => boolean,
  what: string,
): Promise<VectorStoreStatus> {
  const until = Date.now() + 60_000;
  let last: VectorStoreStatus | undefined;
  while (Date.now() < until) {
    last = await core.handlers['vectors:status']({});
    if (check(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Timed out waiting for ${what}; last status ${JSON.stringify(last)}`);
}

async function addPhotos(from: number, count: number): Promise<void> {
  for (let i = from; i < from + count; i++) {
    writeFileSync(
      join(photosDir, `p-${i}.jpg`),
      await sharp(await drawScene(500 + i, 320, 240))
        .jpeg()
        .toBuffer(),
    );
  }
}

beforeAll(async () => {
  buildOfflineModel();
  const photos = tempDir('komorebi-photos-');
  const data = tempDir('komorebi-data-');
  const milvus = tempDir('komorebi-milvus-');
  cleanups.push(photos.cleanup, data.cleanup, milvus.cleanup);
  photosDir = photos.dir;
  milvusDir = milvus.dir;
  await addPhotos(0, 4);
  port = await freeLoopbackPort();
  lite = await startMilvusLite({ dataDir: milvusDir, port });
  dataDir = data.dir;
  core = await createCore({
    dataDir: data.dir,
    shell: 'test',
    notifier: new RecordingNotifier(),
    secrets: {
      get: async (name) => secrets.get(name) ?? null,
      set: async (name, value) => {
        if (value === null) secrets.delete(name);
        else secrets.set(name, value);
      },
    },
  });
  await core.handlers['folders:add']({ path: photosDir });
  await waitUntilSettled(core);
}, 180_000);

afterAll(async () => {
  await core?.close();
  await lite?.stop();
  for (const c of cleanups) c();
});

describe('vector index on Milvus', () => {
  it('switches from the embedded store to Milvus by copying vectors from SQLite', async () => {
    const before = await core.handlers['vectors:status']({});
    expect(before).toMatchObject({ kind: 'embedded', expected: 4, outbox: 0 });
    const test = await core.handlers['vectors:test']({ config: { kind: 'milvus', uri: lite!.uri } });
    expect(test.ok).toBe(true);
    // Milvus Lite ignores tokens; a real server checks it. Either way it must not land in the database.
    await core.handlers['vectors:configure']({
      config: { kind: 'milvus', uri: lite!.uri, token: 'root:s3cret' },
    });
    const after = await waitForStatus(
      (s) => s.kind === 'milvus' && s.state === 'ready' && s.stored === 4,
      'Milvus filled',
    );
    expect(after.location).toBe(lite!.uri);
    // Kept with the server it was entered for (decision 0032): it goes to no other URI.
    expect(JSON.parse(secrets.get('milvus-token') ?? '{}')).toEqual({ uri: lite!.uri, token: 'root:s3cret' });
    const db = openDatabase(dataPaths(dataDir).database);
    const saved = db
      .prepare("SELECT value FROM settings WHERE key = 'vectors.store'")
      .pluck()
      .get() as string;
    db.close();
    expect(saved).toContain(lite!.uri);
    expect(saved).not.toContain('s3cret');
    const page = await core.handlers['photos:list']({ offset: 0, limit: 10 });
    const result = await core.handlers['photos:similar']({ id: page.items[0]!.id, k: 3, minScore: 0 });
    expect(result.hits).toHaveLength(3);
  });

  it('keeps vectors in the outbox while Milvus is down, then drains them when it is back', async () => {
    await lite!.stop();
    lite = null;
    await addPhotos(4, 3);
    const down = await waitForStatus((s) => s.outbox === 3 && s.state === 'error', 'a visible outbox');
    expect(down.error).toMatch(/127\.0\.0\.1/);
    expect(down.expected).toBe(7);

    lite = await startMilvusLite({ dataDir: milvusDir, port });
    const back = await waitForStatus(
      (s) => s.outbox === 0 && s.state === 'ready' && s.stored === 7,
      'a drained outbox',
    );
    expect(back.expected).toBe(7);
  }, 120_000);

  it("Milvus Lite SIGKILLed while photos are indexed, then restarted: the outbox drains, its ids are SQLite's, searches answer as before", async () => {
    const page = await core.handlers['photos:list']({ offset: 0, limit: 10 });
    const query = page.items[0]!.id;
    const similar = async () =>
      (await core.handlers['photos:similar']({ id: query, k: 20, minScore: 0 })).hits.map((h) => ({
        hash: h.photo.hash,
        score: Math.round(h.score * 1e4) / 1e4,
      }));
    const before = await similar();
    expect(before).toHaveLength(6);

    await addPhotos(7, ADDED);
    // The moment the first new vector is known to SQLite: indexing is under way.
    await waitForStatus((s) => s.expected > 7, 'indexing under way');
    process.kill(lite!.pid, 'SIGKILL');
    lite = null;
    await waitForStatus((s) => s.state === 'error', 'the store seen down');
    lite = await startMilvusLite({ dataDir: milvusDir, port });
    const back = await waitForStatus(
      (s) => s.outbox === 0 && s.state === 'ready' && s.stored === TOTAL && s.expected === TOTAL,
      'a drained outbox after the kill',
    );
    expect(back.stored).toBe(TOTAL);

    const db = openDatabase(dataPaths(dataDir).database);
    const inSql = db.prepare('SELECT hash FROM embeddings ORDER BY hash').pluck().all() as string[];
    const dim = db.prepare('SELECT dim FROM embeddings LIMIT 1').pluck().get() as number;
    db.close();
    const store = await openMilvusStore({
      connection: { uri: lite.uri },
      model: 'mobilenet-v2-offline',
      dimension: dim,
    });
    try {
      expect((await store.ids()).sort()).toEqual(inSql);
    } finally {
      await store.close();
    }
    // The photos there before are found as they were, in the same order, among the new ones.
    const known = new Set(before.map((h) => h.hash));
    expect((await similar()).filter((h) => known.has(h.hash))).toEqual(before);
  }, 180_000);

  it('a wrong URI fails fast with a clear message', async () => {
    const free = await freeLoopbackPort();
    const started = Date.now();
    const test = await core.handlers['vectors:test']({
      config: { kind: 'milvus', uri: `http://127.0.0.1:${free}` },
    });
    expect(test.ok).toBe(false);
    expect(test.message).toContain(`127.0.0.1:${free}`);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('starts its own Milvus Lite server when asked, and stops it on quit', async () => {
    await core.handlers['vectors:configure']({ config: { kind: 'milvus-lite' } });
    const s = await waitForStatus(
      (x) => x.kind === 'milvus-lite' && x.state === 'ready' && x.stored === TOTAL,
      'Lite',
    );
    const port = Number(/127\.0\.0\.1:(\d+)/.exec(s.location)?.[1]);
    expect(port).toBeGreaterThan(0);
    const up = await testConnection({ uri: `http://127.0.0.1:${port}`, timeoutMs: 3000 });
    expect(up.ok).toBe(true);
    // Back to the embedded store: the app's own Milvus Lite goes away.
    await core.handlers['vectors:configure']({ config: { kind: 'embedded' } });
    await waitForStatus((x) => x.kind === 'embedded' && x.state === 'ready', 'embedded');
    const down = await testConnection({ uri: `http://127.0.0.1:${port}`, timeoutMs: 2000 });
    expect(down.ok).toBe(false);
  }, 120_000);

  it('switches back to the embedded store', async () => {
    await core.handlers['vectors:configure']({ config: { kind: 'embedded' } });
    const s = await waitForStatus(
      (x) => x.kind === 'embedded' && x.state === 'ready' && x.stored === TOTAL,
      'embedded',
    );
    expect(s.outbox).toBe(0);
  });
});
