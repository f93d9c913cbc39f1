// The vector index on a real Milvus Lite server: switching stores copies vectors from
// SQLite without re-embedding, a server killed while vectors are written loses nothing
// (the outbox grows, Activity can show it), and a restarted server drains the outbox until
// its count matches SQLite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core/app';
import { dataPaths } from '../../src/main/core/app';
import { openDatabase } from '../../src/main/core/library/db';
import { testConnection } from '../../src/main/core/vectors/milvus';
import { freeLoopbackPort } from '../../src/main/core/vectors/milvus-lite';
import { type MilvusLibrary, startMilvusLibrary } from '../helpers/milvus-library';

let lib: MilvusLibrary;
let core: Core;
/** Photos added while Milvus Lite is killed, and the library's size after them. */
const ADDED = 6;
const TOTAL = 7 + ADDED;

beforeAll(async () => {
  lib = await startMilvusLibrary(4);
  core = lib.core;
}, 180_000);

afterAll(async () => {
  await lib?.close();
});

describe('vector index on Milvus', () => {
  it('switches from the embedded store to Milvus by copying vectors from SQLite', async () => {
    const before = await core.handlers['vectors:status']({});
    expect(before).toMatchObject({ kind: 'embedded', expected: 4, outbox: 0 });
    const test = await core.handlers['vectors:test']({ config: { kind: 'milvus', uri: lib.lite!.uri } });
    expect(test.ok).toBe(true);
    // Milvus Lite ignores tokens; a real server checks it. Either way it must not land in the database.
    await core.handlers['vectors:configure']({
      config: { kind: 'milvus', uri: lib.lite!.uri, token: 'root:s3cret' },
    });
    const after = await lib.waitForStatus(
      (s) => s.kind === 'milvus' && s.state === 'ready' && s.stored === 4,
      'Milvus filled',
    );
    expect(after.location).toBe(lib.lite!.uri);
    // Kept with the server it was entered for (decision 0032): it goes to no other URI.
    expect(JSON.parse(lib.secrets.get('milvus-token') ?? '{}')).toEqual({
      uri: lib.lite!.uri,
      token: 'root:s3cret',
    });
    const db = openDatabase(dataPaths(lib.dataDir).database);
    const saved = db
      .prepare("SELECT value FROM settings WHERE key = 'vectors.store'")
      .pluck()
      .get() as string;
    db.close();
    expect(saved).toContain(lib.lite!.uri);
    expect(saved).not.toContain('s3cret');
    const page = await core.handlers['photos:list']({ offset: 0, limit: 10 });
    const result = await core.handlers['photos:similar']({ id: page.items[0]!.id, k: 3, minScore: 0 });
    expect(result.hits).toHaveLength(3);
  });

  it('keeps vectors in the outbox while Milvus is down, then drains them when it is back', async () => {
    await lib.lite!.stop();
    lib.lite = null;
    await lib.addPhotos(4, 3);
    const down = await lib.waitForStatus((s) => s.outbox === 3 && s.state === 'error', 'a visible outbox');
    expect(down.error).toMatch(/127\.0\.0\.1/);
    expect(down.expected).toBe(7);

    await lib.startMilvus();
    const back = await lib.waitForStatus(
      (s) => s.outbox === 0 && s.state === 'ready' && s.stored === 7,
      'a drained outbox',
    );
    expect(back.expected).toBe(7);
  }, 120_000);

  it("Milvus Lite SIGKILLed while photos are indexed, then restarted: the outbox drains, its ids are SQLite's, searches answer as before", async () => {
    const before = await lib.similar();
    expect(before).toHaveLength(6);

    await lib.addPhotos(7, ADDED);
    // The moment the first new vector is known to SQLite: indexing is under way.
    await lib.waitForStatus((s) => s.expected > 7, 'indexing under way');
    lib.killMilvus();
    await lib.waitForStatus((s) => s.state === 'error', 'the store seen down');
    await lib.startMilvus();
    const back = await lib.waitForStatus(
      (s) => s.outbox === 0 && s.state === 'ready' && s.stored === TOTAL && s.expected === TOTAL,
      'a drained outbox after the kill',
    );
    expect(back.stored).toBe(TOTAL);

    expect(await lib.milvusIds()).toEqual(lib.sqliteIds().hashes);
    // The photos there before are found as they were, in the same order, among the new ones.
    const known = new Set(before.map((h) => h.hash));
    expect((await lib.similar()).filter((h) => known.has(h.hash))).toEqual(before);
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
    const s = await lib.waitForStatus(
      (x) => x.kind === 'milvus-lite' && x.state === 'ready' && x.stored === TOTAL,
      'Lite',
    );
    const port = Number(/127\.0\.0\.1:(\d+)/.exec(s.location)?.[1]);
    expect(port).toBeGreaterThan(0);
    const up = await testConnection({ uri: `http://127.0.0.1:${port}`, timeoutMs: 3000 });
    expect(up.ok).toBe(true);
    // Back to the embedded store: the app's own Milvus Lite goes away.
    await core.handlers['vectors:configure']({ config: { kind: 'embedded' } });
    await lib.waitForStatus((x) => x.kind === 'embedded' && x.state === 'ready', 'embedded');
    const down = await testConnection({ uri: `http://127.0.0.1:${port}`, timeoutMs: 2000 });
    expect(down.ok).toBe(false);
  }, 120_000);

  it('switches back to the embedded store', async () => {
    await core.handlers['vectors:configure']({ config: { kind: 'embedded' } });
    const s = await lib.waitForStatus(
      (x) => x.kind === 'embedded' && x.state === 'ready' && x.stored === TOTAL,
      'embedded',
    );
    expect(s.outbox).toBe(0);
  });
});
