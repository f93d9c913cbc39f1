import { afterEach, describe, expect, it } from 'vitest';
import { type ManagedVectorStore, type VectorItem, VectorStoreError } from '../../src/main/core/vectors/port';
import { cosine, seededRandom as seeded } from '../helpers/numbers';

export { cosine } from '../helpers/numbers';

/**
 * One behaviour contract for every VectorStore adapter. `makeStore` opens the store at a
 * location named by the test; opening the same location again must find the same data.
 */
export type MakeStore = (options: {
  location: string;
  model: string;
  dimension: number;
}) => Promise<ManagedVectorStore>;

const DIM = 64;
const MODEL = 'contract-model';

/** A unit vector at `angle` radians from axis 0 in the plane of axes 0 and 1: its cosine to e0 is cos(angle). */
export function inPlane(angle: number, dim = DIM): Float32Array {
  const v = new Float32Array(dim);
  v[0] = Math.cos(angle);
  v[1] = Math.sin(angle);
  return v;
}

export function axis(i: number, dim = DIM): Float32Array {
  const v = new Float32Array(dim);
  v[i] = 1;
  return v;
}

/** Clustered vectors like real embeddings: a centre per cluster plus noise. */
export function clustered(n: number, dim: number, seed: number, clusters = 8): Float32Array[] {
  const random = seeded(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  const centres = Array.from({ length: clusters }, () => Float32Array.from({ length: dim }, gauss));
  return Array.from({ length: n }, (_, i) => {
    const centre = centres[i % clusters]!;
    return Float32Array.from({ length: dim }, (_, d) => centre[d]! + 0.8 * gauss());
  });
}

const DAY = 86_400_000;

/** Twelve photos at known angles to e0, in three folders, with dates (one without). */
function photos(): VectorItem[] {
  return Array.from({ length: 12 }, (_, i) => ({
    id: `photo-${String(i).padStart(2, '0')}`,
    vector: inPlane(i * 0.12),
    folderIds: i === 11 ? [1, 3] : [1 + (i % 3)],
    takenAt: i === 5 ? null : Date.UTC(2024, 0, 1) + i * DAY,
  }));
}

export function runVectorStoreContract(name: string, makeStore: MakeStore): void {
  describe(`VectorStore contract: ${name}`, () => {
    const open: ManagedVectorStore[] = [];
    let counter = 0;
    const location = () => `c${process.pid}-${Date.now().toString(36)}-${counter++}`;
    const make = async (where: string, dimension = DIM, model = MODEL) => {
      const store = await makeStore({ location: where, model, dimension });
      open.push(store);
      return store;
    };

    afterEach(async () => {
      for (const store of open.splice(0)) {
        await store.drop().catch(() => undefined);
        await store.close().catch(() => undefined);
      }
    });

    it('returns the nearest photos first with their cosine similarity as score', async () => {
      const store = await make(location());
      await store.upsert(photos());
      const hits = await store.search(axis(0), 5);
      expect(hits.map((h) => h.id)).toEqual(['photo-00', 'photo-01', 'photo-02', 'photo-03', 'photo-04']);
      hits.forEach((hit, i) => {
        expect(hit.score).toBeCloseTo(Math.cos(i * 0.12), 2);
      });
      // A query between two photos: scores follow the cosine, not the insertion order.
      const between = await store.search(inPlane(0.64), 3);
      expect(between.map((h) => h.id)).toEqual(['photo-05', 'photo-06', 'photo-04']);
      expect(between[0]!.score).toBeCloseTo(Math.cos(0.04), 2);
    });

    it('treats vectors of any length the same (cosine, not dot product)', async () => {
      const store = await make(location());
      const scaled = photos().map((p, i) => ({ ...p, vector: p.vector.map((v) => v * (1 + i * 3)) }));
      await store.upsert(scaled);
      const hits = await store.search(
        axis(0).map((v) => v * 0.01),
        3,
      );
      expect(hits.map((h) => h.id)).toEqual(['photo-00', 'photo-01', 'photo-02']);
      expect(hits[0]!.score).toBeCloseTo(1, 2);
    });

    it('returns at most k hits, and all photos when k exceeds the count', async () => {
      const store = await make(location());
      await store.upsert(photos());
      expect(await store.search(axis(0), 1)).toHaveLength(1);
      const all = await store.search(axis(0), 50);
      expect(all).toHaveLength(12);
      const scores = all.map((h) => h.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    });

    it('replaces a photo on upsert of the same id: vector, folders and date', async () => {
      const store = await make(location());
      await store.upsert(photos());
      await store.upsert([
        { id: 'photo-00', vector: axis(5), folderIds: [9], takenAt: Date.UTC(2030, 0, 1) },
      ]);
      expect(await store.count()).toBe(12);
      const nearAxis0 = await store.search(axis(0), 1);
      expect(nearAxis0[0]!.id).toBe('photo-01');
      const nearAxis5 = await store.search(axis(5), 1);
      expect(nearAxis5[0]).toMatchObject({ id: 'photo-00' });
      expect(nearAxis5[0]!.score).toBeCloseTo(1, 2);
      expect((await store.search(axis(0), 20, { folderIds: [9] })).map((h) => h.id)).toEqual(['photo-00']);
      expect((await store.search(axis(0), 20, { folderIds: [1] })).map((h) => h.id)).not.toContain(
        'photo-00',
      );
      const in2030 = await store.search(axis(0), 20, { from: Date.UTC(2030, 0, 1) });
      expect(in2030.map((h) => h.id)).toEqual(['photo-00']);
    });

    it('keeps the last of duplicate ids within one batch', async () => {
      const store = await make(location());
      await store.upsert([
        { id: 'twice', vector: axis(0), folderIds: [1], takenAt: null },
        { id: 'twice', vector: axis(1), folderIds: [2], takenAt: null },
      ]);
      expect(await store.count()).toBe(1);
      const hits = await store.search(axis(1), 5);
      expect(hits).toHaveLength(1);
      expect(hits[0]!.score).toBeCloseTo(1, 2);
    });

    it('removes photos, ignoring ids it does not hold', async () => {
      const store = await make(location());
      await store.upsert(photos());
      await store.remove(['photo-00', 'photo-02', 'not-there']);
      expect(await store.count()).toBe(10);
      const ids = (await store.search(axis(0), 20)).map((h) => h.id);
      expect(ids).toHaveLength(10);
      expect(ids).not.toContain('photo-00');
      expect(ids).not.toContain('photo-02');
      expect(ids[0]).toBe('photo-01');
      await store.remove([]);
      expect(await store.count()).toBe(10);
    });

    it('lists exactly the ids it holds', async () => {
      const store = await make(location());
      expect(await store.ids()).toEqual([]);
      await store.upsert(photos());
      await store.upsert([{ ...photos()[3]!, vector: inPlane(1) }]);
      await store.remove(['photo-07', 'not-there']);
      const expected = photos()
        .map((p) => p.id)
        .filter((id) => id !== 'photo-07');
      expect((await store.ids()).sort()).toEqual(expected);
    });

    it('filters by folder (any of the given folders)', async () => {
      const store = await make(location());
      await store.upsert(photos());
      const inFolder3 = await store.search(axis(0), 20, { folderIds: [3] });
      expect(inFolder3.map((h) => h.id)).toEqual(['photo-02', 'photo-05', 'photo-08', 'photo-11']);
      const in1or2 = await store.search(axis(0), 3, { folderIds: [1, 2] });
      expect(in1or2.map((h) => h.id)).toEqual(['photo-00', 'photo-01', 'photo-03']);
      expect(await store.search(axis(0), 5, { folderIds: [] })).toEqual([]);
      expect(await store.search(axis(0), 5, { folderIds: [42] })).toEqual([]);
    });

    it('filters by date range, inclusive, leaving out photos without a date', async () => {
      const store = await make(location());
      await store.upsert(photos());
      const from = Date.UTC(2024, 0, 1) + 3 * DAY;
      const to = Date.UTC(2024, 0, 1) + 7 * DAY;
      const ranged = await store.search(axis(0), 20, { from, to });
      expect(ranged.map((h) => h.id)).toEqual(['photo-03', 'photo-04', 'photo-06', 'photo-07']);
      const after = await store.search(axis(0), 20, { from: Date.UTC(2024, 0, 1) + 9 * DAY });
      expect(after.map((h) => h.id)).toEqual(['photo-09', 'photo-10', 'photo-11']);
      const before = await store.search(axis(0), 20, { to: Date.UTC(2024, 0, 1) + DAY });
      expect(before.map((h) => h.id)).toEqual(['photo-00', 'photo-01']);
    });

    it('excludes given ids and combines all filters', async () => {
      const store = await make(location());
      await store.upsert(photos());
      const excluded = await store.search(axis(0), 3, { excludeIds: ['photo-00', 'photo-01', 'nope'] });
      expect(excluded.map((h) => h.id)).toEqual(['photo-02', 'photo-03', 'photo-04']);
      const combined = await store.search(axis(0), 20, {
        folderIds: [1, 3],
        from: Date.UTC(2024, 0, 1) + DAY,
        to: Date.UTC(2024, 0, 1) + 11 * DAY,
        excludeIds: ['photo-03'],
      });
      // folder 1: 00 03 06 09 11, folder 3: 02 05 08 11; 00 too early, 05 undated, 03 excluded.
      expect(combined.map((h) => h.id)).toEqual(['photo-02', 'photo-06', 'photo-08', 'photo-09', 'photo-11']);
    });

    it('counts, describes and drops', async () => {
      const store = await make(location());
      expect(await store.count()).toBe(0);
      expect(await store.search(axis(0), 5)).toEqual([]);
      await store.upsert(photos());
      expect(await store.count()).toBe(12);
      const description = await store.describe();
      expect(description).toMatchObject({ model: MODEL, dimension: DIM, count: 12 });
      expect(['embedded', 'milvus']).toContain(description.kind);
      expect(description.location).toEqual(expect.any(String));
      await store.drop();
      expect(await store.count()).toBe(0);
      expect(await store.search(axis(0), 5)).toEqual([]);
      // Still usable after a drop: the app refills it from SQLite.
      await store.upsert(photos().slice(0, 2));
      expect(await store.count()).toBe(2);
    });

    it('keeps its vectors across close and reopen', async () => {
      const where = location();
      const first = await make(where);
      await first.upsert(photos());
      await first.remove(['photo-04']);
      await first.close();
      open.splice(open.indexOf(first), 1);
      const again = await make(where);
      expect(await again.count()).toBe(11);
      const hits = await again.search(axis(0), 20, { folderIds: [2] });
      expect(hits.map((h) => h.id)).toEqual(['photo-01', 'photo-07', 'photo-10']);
      expect(hits[0]!.score).toBeCloseTo(Math.cos(0.12), 2);
    });

    it('rejects vectors of the wrong dimension with a typed, readable error', async () => {
      const store = await make(location());
      const wrong = store.upsert([
        { id: 'x', vector: new Float32Array(DIM + 1).fill(1), folderIds: [], takenAt: null },
      ]);
      await expect(wrong).rejects.toBeInstanceOf(VectorStoreError);
      await expect(wrong).rejects.toMatchObject({
        kind: 'invalid',
        message: expect.stringMatching(/dimensions/),
      });
      await expect(store.search(new Float32Array(3).fill(1), 5)).rejects.toMatchObject({ kind: 'invalid' });
    });

    it('finds near neighbours of real-sized 2048-d clustered vectors like an exact search', async () => {
      const dim = 2048;
      const store = await make(location(), dim, 'contract-2048');
      const vectors = clustered(400, dim, 7);
      const items = vectors.map((vector, i) => ({
        id: `p${i}`,
        vector,
        folderIds: [i % 4],
        takenAt: Date.UTC(2020, 0, 1) + i * DAY,
      }));
      for (let i = 0; i < items.length; i += 150) await store.upsert(items.slice(i, i + 150));
      expect(await store.count()).toBe(400);
      let agree = 0;
      for (const q of [3, 50, 121, 277, 390]) {
        const hits = await store.search(vectors[q]!, 10, { folderIds: [1, 2, 3], excludeIds: [`p${q}`] });
        const exact = items
          .filter((item, i) => i !== q && item.folderIds[0] !== 0)
          .map((item) => ({ id: item.id, score: cosine(vectors[q]!, item.vector) }))
          .sort((a, b) => b.score - a.score)
          .slice(0, 10);
        expect(hits).toHaveLength(10);
        agree += hits.filter((h) => exact.some((e) => e.id === h.id)).length;
        for (const hit of hits) {
          const index = Number(hit.id.slice(1));
          expect(index % 4).not.toBe(0);
          expect(hit.score).toBeCloseTo(cosine(vectors[q]!, vectors[index]!), 2);
        }
      }
      expect(agree / 50).toBeGreaterThanOrEqual(0.9);
    });
  });
}
