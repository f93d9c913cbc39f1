// Milvus Lite SIGKILLed while the library switches its vector store (issue 11's campaign):
// the switch waits, says so, and searches keep answering from the store in use; once the
// server is back the switch finishes by itself, the new store holds exactly SQLite's ids
// and searches answer as before. The same for the switch back, and for the Milvus Lite
// server Komorebi starts itself (nobody else is there to restart it).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VectorStoreStatus } from '../../src/shared/model';
import { type MilvusLibrary, startMilvusLibrary } from '../helpers/milvus-library';

const PHOTOS = 8;
let lib: MilvusLibrary;
/** Find similar on the embedded store before any switch. */
let before: { hash: string; score: number }[];

beforeAll(async () => {
  lib = await startMilvusLibrary(PHOTOS);
  before = await lib.similar();
}, 180_000);

afterAll(async () => {
  await lib?.close();
});

/** Same photos in the same order, scores equal to within half-precision (the embedded store keeps f16). */
function expectSameAnswers(now: { hash: string; score: number }[]): void {
  expect(now.map((h) => h.hash)).toEqual(before.map((h) => h.hash));
  for (const [i, h] of now.entries()) expect(Math.abs(h.score - before[i]!.score)).toBeLessThan(0.005);
}

const done = (kind: VectorStoreStatus['kind']) => (s: VectorStoreStatus) =>
  s.kind === kind && s.state === 'ready' && s.switchingTo === null && s.outbox === 0 && s.stored === PHOTOS;

/** The pid of the Milvus Lite server serving a data file (the one Komorebi started). */
function liteServing(dataFile: string): number | null {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(join('/proc', entry, 'cmdline'), 'utf8').split('\0');
      if (argv[0]?.endsWith('/milvus') && argv[1] === dataFile) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return null;
}

describe('Milvus Lite killed during a store switch', () => {
  it('embedded to Milvus: killed as the copy starts, the switch waits and says so, then finishes once the server is back', async () => {
    expect(before).toHaveLength(PHOTOS - 1);
    const { core } = lib;
    const configured = await core.handlers['vectors:configure']({
      config: { kind: 'milvus', uri: lib.lite!.uri },
    });
    // Killed before the first vectors reach it: nothing else ran in between.
    lib.killMilvus();
    expect(configured).toMatchObject({ state: 'switching', switchingTo: 'milvus' });

    const down = await lib.waitForStatus((s) => s.state === 'error', 'the switch seen stopped');
    expect(down).toMatchObject({ kind: 'milvus', switchingTo: 'milvus', outbox: PHOTOS, expected: PHOTOS });
    expect(down.error).toContain(`127.0.0.1:${lib.port}`);
    // Searches keep using the embedded store while the new one cannot be filled.
    expectSameAnswers(await lib.similar());

    await lib.startMilvus();
    // The drain retries with a backoff (1 s doubling): on a loaded machine this takes a while.
    await lib.waitForStatus(done('milvus'), 'the switch finished after the restart', 120_000);
    expect(await lib.milvusIds()).toEqual(lib.sqliteIds().hashes);
    expectSameAnswers(await lib.similar());
  }, 180_000);

  it('Milvus back to embedded: Milvus killed as the switch starts, the embedded store takes over from SQLite', async () => {
    const { core } = lib;
    await core.handlers['vectors:configure']({ config: { kind: 'embedded' } });
    lib.killMilvus();
    const s = await lib.waitForStatus(done('embedded'), 'the embedded store filled without Milvus');
    expect(s.error).toBeNull();
    expectSameAnswers(await lib.similar());
    await lib.startMilvus();
  }, 180_000);

  it("Komorebi's own Milvus Lite killed mid-switch: it is started again, and the switch finishes", async () => {
    const { core } = lib;
    const dataFile = join(lib.dataDir, 'vectors', 'milvus-lite', 'milvus-lite.db');
    await core.handlers['vectors:configure']({ config: { kind: 'milvus-lite' } });
    const first = liteServing(dataFile);
    expect(first).not.toBeNull();
    process.kill(first!, 'SIGKILL');

    const s = await lib.waitForStatus(
      done('milvus-lite'),
      'the switch finished on a restarted server',
      90_000,
    );
    const second = liteServing(dataFile);
    expect(second).not.toBeNull();
    expect(second).not.toBe(first);
    expect(s.location).toMatch(/^Milvus Lite at http:\/\/127\.0\.0\.1:\d+$/);
    expectSameAnswers(await lib.similar());
    // The app's own server holds exactly SQLite's ids too.
    const uri = /http:\/\/\S+$/.exec(s.location)![0];
    expect(await lib.milvusIds(uri)).toEqual(lib.sqliteIds().hashes);
  }, 180_000);
});
