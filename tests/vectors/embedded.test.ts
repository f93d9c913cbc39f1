import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  type EmbeddedVectorStore,
  needsRebuild,
  openEmbeddedStore,
  openEmbeddedStoreInWorker,
  searchListSize,
} from '../../src/main/core/vectors/embedded';
import { type VectorItem, VectorStoreError } from '../../src/main/core/vectors/port';
import { seededRandom } from '../helpers/numbers';
import { axis, clustered, cosine, runVectorStoreContract } from './contract';

const root = mkdtempSync(join(tmpdir(), 'komorebi-embedded-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

runVectorStoreContract('embedded (usearch)', ({ location, model, dimension }) =>
  openEmbeddedStore({ dir: join(root, location), model, dimension }),
);

describe('search list size', () => {
  it('stays at the base up to 100,000 photos, then doubles per tenfold growth', () => {
    expect(searchListSize(64, 5_000, true)).toBe(64);
    expect(searchListSize(64, 100_000, true)).toBe(64);
    expect(searchListSize(64, 1_000_000, true)).toBe(128);
    expect(searchListSize(64, 10_000_000, true)).toBe(256);
    expect(searchListSize(64, 300_000, true)).toBeGreaterThan(64);
    expect(searchListSize(64, 1_000_000, false)).toBe(64);
  });
});

describe('embedded store files', () => {
  const stores: EmbeddedVectorStore[] = [];
  const open = async (dir: string, model = 'model-a', dimension = 32, extra = {}) => {
    const store = await openEmbeddedStore({ dir, model, dimension, ...extra });
    stores.push(store);
    return store;
  };
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close().catch(() => undefined);
  });

  const items = (n: number, dimension = 32, seed = 1): VectorItem[] =>
    clustered(n, dimension, seed).map((vector, i) => ({
      id: `h${i}`,
      vector,
      folderIds: [i % 5],
      takenAt: i * 1000,
    }));

  /** The library database the app refills from: real SQLite, vectors as float32 blobs. */
  function libraryWith(list: VectorItem[]): Database.Database {
    const db = new Database(join(root, `library-${Date.now()}-${Math.random()}.db`));
    db.exec(
      'CREATE TABLE embeddings (hash TEXT PRIMARY KEY, model TEXT, vector BLOB, folder INTEGER, taken_at INTEGER)',
    );
    const insert = db.prepare('INSERT INTO embeddings VALUES (?, ?, ?, ?, ?)');
    for (const item of list) {
      insert.run(item.id, 'model-a', Buffer.from(item.vector.buffer), item.folderIds[0], item.takenAt);
    }
    return db;
  }

  async function refill(store: EmbeddedVectorStore, db: Database.Database): Promise<void> {
    const rows = db.prepare('SELECT hash, vector, folder, taken_at FROM embeddings ORDER BY rowid').all() as {
      hash: string;
      vector: Buffer;
      folder: number;
      taken_at: number | null;
    }[];
    await store.upsert(
      rows.map((row) => ({
        id: row.hash,
        vector: new Float32Array(
          row.vector.buffer.slice(row.vector.byteOffset, row.vector.byteOffset + row.vector.length),
        ),
        folderIds: [row.folder],
        takenAt: row.taken_at,
      })),
    );
    const last = db.prepare('SELECT max(rowid) AS last FROM embeddings').get() as { last: number };
    store.setSyncMarker(String(last.last));
  }

  it('reports a missing index, is rebuilt from SQLite, and is ready after reopen', async () => {
    const dir = join(root, 'rebuild');
    const list = items(300);
    const db = libraryWith(list);
    const store = await open(dir);
    expect(store.health.state).toBe('missing');
    const expected = { count: 300, syncMarker: '300' };
    expect(needsRebuild(store.health, { count: await store.count(), syncMarker: null }, expected)).toBe(
      'missing',
    );
    await refill(store, db);
    await store.close();

    const reopened = await open(dir);
    expect(reopened.health.state).toBe('ready');
    const described = await reopened.describe();
    expect(
      needsRebuild(
        reopened.health,
        { count: described.count, syncMarker: described.syncMarker ?? null },
        expected,
      ),
    ).toBe(false);
    // One more photo in SQLite than in the index: stale.
    expect(
      needsRebuild(reopened.health, { count: 300, syncMarker: '300' }, { count: 301, syncMarker: '301' }),
    ).toBe('stale');
    await reopened.close();

    // The user (or a cleaner) deletes the index files: detected and rebuilt from SQLite.
    for (const name of readdirSync(dir)) rmSync(join(dir, name));
    const rebuilt = await open(dir);
    expect(rebuilt.health.state).toBe('missing');
    expect(await rebuilt.count()).toBe(0);
    await refill(rebuilt, db);
    const hits = await rebuilt.search(list[42]!.vector, 1);
    expect(hits[0]).toMatchObject({ id: 'h42' });
    db.close();
  });

  it('discards an index made by another model or of another dimension', async () => {
    const dir = join(root, 'other-model');
    const first = await open(dir);
    await first.upsert(items(20));
    await first.close();
    const otherModel = await open(dir, 'model-b');
    expect(otherModel.health).toEqual({ state: 'other-model', found: { model: 'model-a', dimension: 32 } });
    expect(await otherModel.count()).toBe(0);
    await otherModel.upsert(items(5));
    await otherModel.close();
    const otherDimension = await open(dir, 'model-b', 16);
    expect(otherDimension.health.state).toBe('other-model');
    expect(await otherDimension.count()).toBe(0);
  });

  it('reports a damaged index as corrupt and starts empty', async () => {
    const dir = join(root, 'corrupt');
    const first = await open(dir);
    await first.upsert(items(20));
    await first.close();
    const indexFile = readdirSync(dir).find((name) => name.endsWith('.usearch'))!;
    rmSync(join(dir, indexFile));
    const damaged = await open(dir);
    expect(damaged.health.state).toBe('corrupt');
    expect(await damaged.count()).toBe(0);
  });

  it('rebuilds an index saved in the earlier f16 format instead of loading it', async () => {
    const dir = join(root, 'old-format');
    const first = await open(dir);
    await first.upsert(items(20));
    await first.close();
    const sidecar = JSON.parse(readFileSync(join(dir, 'vectors.json'), 'utf8'));
    writeFileSync(join(dir, 'vectors.json'), JSON.stringify({ ...sidecar, quantization: 'f16' }));
    const old = await open(dir);
    expect(old.health).toEqual({ state: 'old-format', found: 'f16' });
    expect(await old.count()).toBe(0);
    expect(needsRebuild(old.health, { count: 0, syncMarker: null }, { count: 20, syncMarker: null })).toBe(
      'old-format',
    );
  });

  it('ranks close calls in exact order with exact scores, though the graph holds 8-bit vectors', async () => {
    // 40 variants of one photo whose similarities to it step by ~0.001: far finer than
    // the graph's 8-bit vectors can tell apart in 2048-d, so the order comes from rescoring.
    const random = seededRandom(7);
    const dimension = 2048;
    const base = Float32Array.from({ length: dimension }, () => random());
    const variants = Array.from({ length: 40 }, (_, i) =>
      Float32Array.from(base, (x) => Math.max(0, x + (0.02 + i * 0.004) * (random() - 0.5))),
    );
    const store = await open(join(root, 'close-calls'), 'model-a', dimension);
    await store.upsert(variants.map((vector, i) => ({ id: `v${i}`, vector, folderIds: [1], takenAt: null })));
    const exact = variants
      .map((vector, i) => ({ id: `v${i}`, score: cosine(base, vector) }))
      .sort((a, b) => b.score - a.score);
    const hits = await store.search(base, 10);
    expect(hits.map((hit) => hit.id)).toEqual(exact.slice(0, 10).map((hit) => hit.id));
    hits.forEach((hit, i) => {
      expect(hit.score).toBeCloseTo(exact[i]!.score, 3);
    });
  });

  it('saves debounced, atomically, keeping only the current generation', async () => {
    const dir = join(root, 'debounce');
    const store = await open(dir, 'model-a', 32, { saveDelayMs: 50 });
    await store.upsert(items(10));
    expect((await store.describe()).unsavedChanges).toBe(true);
    await expect.poll(async () => (await store.describe()).unsavedChanges, { timeout: 10_000 }).toBe(false);
    await store.upsert(items(12, 32, 2));
    await store.flush();
    const names = readdirSync(dir).sort();
    expect(names).toEqual(['vectors.2.entries.json', 'vectors.2.usearch', 'vectors.f16', 'vectors.json']);
    // A crash after more vectors were appended but before the next save: the saved generation opens.
    await store.upsert(items(3, 32, 3).map((item) => ({ ...item, id: `late-${item.id}` })));
    stores.splice(stores.indexOf(store), 1);
    const crashed = await open(dir);
    expect(crashed.health.state).toBe('ready');
    expect(await crashed.count()).toBe(12);
    expect(existsSync(join(dir, 'vectors.f16'))).toBe(true);
  });

  it('numbers its writes and says which ones a save made durable', async () => {
    const dir = join(root, 'marks');
    const store = await open(dir, 'model-a', 32, { saveDelayMs: 60_000, maxSaveDelayMs: 60_000 });
    await store.upsert(items(4));
    await store.remove(['h1']);
    expect(await store.writeMarks()).toEqual({ acknowledged: 2, durable: 0 });
    await store.remove(['not-there']); // changes nothing: durable as it is acknowledged
    expect(await store.writeMarks()).toEqual({ acknowledged: 3, durable: 0 });
    await store.flush();
    expect(await store.writeMarks()).toEqual({ acknowledged: 3, durable: 3 });
    await store.upsert(items(1, 32, 9).map((i) => ({ ...i, id: 'late' })));
    expect(await store.writeMarks()).toEqual({ acknowledged: 4, durable: 3 });
    // A crash now: the reopened store holds what was durable, not the late write.
    stores.splice(stores.indexOf(store), 1);
    const crashed = await open(dir);
    expect((await crashed.ids()).sort()).toEqual(['h0', 'h2', 'h3']);
  });

  it('answers selective and broad filters like an exact filtered search, on every path', async () => {
    const dimension = 48;
    const list = clustered(1500, dimension, 11, 12).map((vector, i) => ({
      id: `f${i}`,
      vector,
      // Folder 0 holds 15 photos (very selective), folder 1 about half of them.
      folderIds: i % 100 === 0 ? [0] : [1 + (i % 2)],
      takenAt: i,
    }));
    // exactScanLimit 10 forces the oversampled graph path for folder 1 and exact scan for folder 0.
    const store = await open(join(root, 'paths'), 'model-a', dimension, { exactScanLimit: 10 });
    await store.upsert(list);
    for (const folder of [0, 1]) {
      for (const q of [5, 700, 1333]) {
        const query = list[q]!.vector;
        const hits = await store.search(query, 10, { folderIds: [folder] });
        const exact = list
          .filter((item) => item.folderIds[0] === folder)
          .map((item) => ({ id: item.id, score: cosine(query, item.vector) }))
          .sort((a, b) => b.score - a.score)
          .slice(0, 10);
        expect(hits).toHaveLength(10);
        const agree = hits.filter((h) => exact.some((e) => e.id === h.id)).length;
        expect(agree).toBeGreaterThanOrEqual(folder === 0 ? 10 : 8);
        for (const hit of hits) expect(list[Number(hit.id.slice(1))]!.folderIds[0]).toBe(folder);
      }
    }
    // A narrow date window (20 photos) is answered in full.
    const window = await store.search(axis(0, dimension), 50, { from: 100, to: 119 });
    expect(window.map((h) => h.id).sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `f${100 + i}`).sort(),
    );
  });
});

// The same store hosted in a worker thread (what the app should use), through the same contract.
runVectorStoreContract('embedded (usearch) in a worker thread', ({ location, model, dimension }) =>
  openEmbeddedStoreInWorker({ dir: join(root, `worker-${location}`), model, dimension }),
);

describe('embedded store in a worker thread', () => {
  it('reports health from the worker and keeps errors typed', async () => {
    const dir = join(root, 'worker-health');
    const store = await openEmbeddedStoreInWorker({ dir, model: 'model-a', dimension: 8 });
    try {
      expect(store.health.state).toBe('missing');
      await store.upsert([{ id: 'a', vector: axis(0, 8), folderIds: [1], takenAt: null }]);
      await store.setSyncMarker('7');
      await store.flush();
      expect(await store.describe()).toMatchObject({ count: 1, syncMarker: '7', unsavedChanges: false });
      const wrong = store.search(new Float32Array(3).fill(1), 1);
      await expect(wrong).rejects.toBeInstanceOf(VectorStoreError);
      await expect(wrong).rejects.toMatchObject({ kind: 'invalid' });
    } finally {
      await store.close();
    }
    await expect(store.count()).rejects.toMatchObject({ kind: 'invalid' });
    const reopened = await openEmbeddedStoreInWorker({ dir, model: 'model-a', dimension: 8 });
    expect(reopened.health.state).toBe('ready');
    expect(await reopened.count()).toBe(1);
    await reopened.close();
  });
});
