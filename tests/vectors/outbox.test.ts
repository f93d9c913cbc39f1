// The vector index's outbox against a real SQLite library and the real embedded store: the
// store is put in step with SQLite by ids (not counts) when it opens, and a removal queued
// while the store is still writing the photo is not taken for that write.

import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Redactor } from '../../src/main/core/redact';
import { VectorIndex } from '../../src/main/core/search/vector-index';
import { OutboxDrain } from '../../src/main/core/search/vector-index/drain';
import { VectorOutbox } from '../../src/main/core/search/vector-index/outbox';
import { openEmbeddedStore } from '../../src/main/core/vectors/embedded';
import type { VectorItem, VectorStore } from '../../src/main/core/vectors/port';
import { tempDir } from '../helpers/temp';
import {
  addVectors,
  names,
  openVectorLibrary,
  sqliteIds,
  VECTOR_DIM,
  VECTOR_MODEL,
  vectorModel,
} from '../helpers/vector-library';

const root = tempDir('komorebi-outbox-');
afterAll(() => root.cleanup());

const until = async (check: () => boolean | Promise<boolean>, what: string) => {
  const end = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

const item = (id: string): VectorItem => ({
  id,
  vector: Float32Array.from({ length: VECTOR_DIM }, (_, i) => (i === id.length % VECTOR_DIM ? 1 : 0.1)),
  folderIds: [],
  takenAt: null,
});

describe('the vector outbox', () => {
  it('puts a store whose count is right and whose ids are wrong in step with SQLite at open', async () => {
    const dataDir = join(root.dir, 'ids');
    const storeDir = join(dataDir, 'vectors', 'embedded', VECTOR_MODEL);
    // The store as a crash could leave it: a1 (since forgotten) still there, b1 (new) not yet.
    const before = await openEmbeddedStore({ dir: storeDir, model: VECTOR_MODEL, dimension: VECTOR_DIM });
    await before.upsert([...names('a', 5), 'gone'].map(item));
    await before.close();
    const db = openVectorLibrary(dataDir);
    addVectors(db, [...names('a', 5), 'new']);

    const index = new VectorIndex({
      db,
      redactor: new Redactor(),
      notifier: { emit() {} },
      dir: join(dataDir, 'vectors'),
      activeModel: () => vectorModel,
    });
    await index.open();
    await until(() => index.status().outbox === 0, 'the outbox to drain');
    await index.close();
    expect(db.prepare('SELECT count(*) FROM vector_outbox').pluck().get()).toBe(0);

    const after = await openEmbeddedStore({ dir: storeDir, model: VECTOR_MODEL, dimension: VECTOR_DIM });
    expect((await after.ids()).sort()).toEqual(sqliteIds(db));
    await after.close();
    db.close();
  });

  it('keeps a removal queued while the store is still writing that photo', async () => {
    const dataDir = join(root.dir, 'in-flight');
    const db = openVectorLibrary(dataDir);
    addVectors(db, ['p']);
    const outbox = new VectorOutbox(db);
    const real = await openEmbeddedStore({
      dir: join(dataDir, 'store'),
      model: VECTOR_MODEL,
      dimension: VECTOR_DIM,
    });
    let entered = () => {};
    const writing = new Promise<void>((r) => {
      entered = r;
    });
    let release = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    // The real store, with its upsert held open until the test has queued the removal.
    const store: VectorStore = {
      upsert: async (items) => {
        entered();
        await gate;
        return real.upsert(items);
      },
      remove: (ids) => real.remove(ids),
      search: (v, k, f) => real.search(v, k, f),
      count: () => real.count(),
      ids: () => real.ids(),
      writeMarks: () => real.writeMarks(),
      close: () => real.close(),
    };
    const drain = new OutboxDrain({
      outbox,
      stores: () => [
        { config: { kind: 'embedded' }, key: 'embedded', model: VECTOR_MODEL, store, lite: null },
      ],
      afterPass: async () => {},
      onBatch: () => {},
      onPass: () => {},
    });
    outbox.queue(['embedded'], VECTOR_MODEL, ['p'], 'upsert');
    drain.kick();
    await writing;
    outbox.queue(['embedded'], VECTOR_MODEL, ['p'], 'remove');
    release();
    await until(() => outbox.waiting('embedded', VECTOR_MODEL) === 0, 'the removal to be sent');
    await real.flush();
    await until(() => outbox.unsaved('embedded', VECTOR_MODEL) === 0, 'the save to be noticed');
    drain.stop();
    expect(await real.ids()).toEqual([]);
    await real.close();
    db.close();
  });
});
