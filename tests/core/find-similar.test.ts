// The whole core, end to end without a window: a folder of generated photos is scanned,
// thumbnailed and embedded with the offline real-weights model, then "Find similar",
// "More like these" and "Duplicates" answer from the embedded vector store.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOfflineModel } from '../../scripts/models/build-offline-model';
import { type Core, createCore, dataPaths } from '../../src/main/core/app';
import { type Db, openDatabase } from '../../src/main/core/library/db';
import { parseRequest } from '../../src/shared/api';
import type { Photo } from '../../src/shared/model';
import { drawScene } from '../embed/helpers';
import { waitUntilSettled } from '../helpers/settle';
import { RecordingNotifier, tempDir } from '../helpers/temp';

const SCENES = 6;
let photosDir: string;
let dataDir: string;
let core: Core;
const cleanups: (() => void)[] = [];

const trashed: string[] = [];

/** The OS trash is replaced by one that records and deletes: a test never fills the real one. */
async function openCore(): Promise<Core> {
  return createCore({
    dataDir,
    shell: 'test',
    notifier: new RecordingNotifier(),
    trashFiles: async (files) => {
      trashed.push(...files);
      for (const f of files) rmSync(f);
    },
  });
}

/** Reads or writes the library database directly, as a second process would. */
function inDatabase<T>(use: (db: Db) => T): T {
  const db = openDatabase(dataPaths(dataDir).database);
  try {
    return use(db);
  } finally {
    db.close();
  }
}

async function byName(name: string): Promise<Photo> {
  const page = await core.handlers['photos:list']({ offset: 0, limit: 1000 });
  const p = page.items.find((x) => x.name === name);
  if (!p) throw new Error(`${name} is not in the gallery`);
  return p;
}

beforeAll(async () => {
  buildOfflineModel();
  const photos = tempDir('komorebi-photos-');
  const data = tempDir('komorebi-data-');
  cleanups.push(photos.cleanup, data.cleanup);
  photosDir = photos.dir;
  dataDir = data.dir;
  mkdirSync(join(photosDir, 'trip'));
  for (let i = 0; i < SCENES; i++) {
    writeFileSync(
      join(photosDir, `scene-${i}.jpg`),
      await sharp(await drawScene(100 + i * 17))
        .jpeg()
        .toBuffer(),
    );
  }
  // An edited copy of scene 0: smaller, brighter, re-encoded, slightly cropped.
  const edited = await sharp(join(photosDir, 'scene-0.jpg'))
    .extract({ left: 12, top: 8, width: 440, height: 330 })
    .resize(300)
    .modulate({ brightness: 1.1 })
    .webp({ quality: 70 })
    .toBuffer();
  writeFileSync(join(photosDir, 'trip', 'scene-0-edit.webp'), edited);
  // The same bytes as scene 1 in another place: an exact duplicate.
  copyFileSync(join(photosDir, 'scene-1.jpg'), join(photosDir, 'trip', 'scene-1-copy.jpg'));

  core = await openCore();
  await core.handlers['folders:add']({ path: photosDir });
  await waitUntilSettled(core);
}, 180_000);

afterAll(async () => {
  await core?.close();
  for (const c of cleanups) c();
});

describe('find similar on a real library', () => {
  it('lists every photo with its thumbnail and indexes each one once', async () => {
    const page = await core.handlers['photos:list']({ offset: 0, limit: 100 });
    expect(page.total).toBe(SCENES + 2);
    expect(page.items.every((p) => p.thumb !== null)).toBe(true);
    const models = await core.handlers['models:list']({});
    const active = models.models.find((m) => m.active);
    expect(active?.id).toBe('mobilenet-v2-offline');
    // Two files share one content: seven distinct photos, seven vectors.
    expect(active?.embedded).toBe(SCENES + 1);
    const status = await core.handlers['vectors:status']({});
    expect(status).toMatchObject({ kind: 'embedded', expected: SCENES + 1, outbox: 0, state: 'ready' });
  });

  it('puts the edited copy first, with its score, and leaves the photo itself out', async () => {
    const query = await byName('scene-0.jpg');
    const result = await core.handlers['photos:similar']({ id: query.id, k: 10, minScore: 0 });
    expect(result.notIndexed).toBe(false);
    expect(result.hits[0]?.photo.name).toBe('scene-0-edit.webp');
    expect(result.hits.map((h) => h.photo.hash)).not.toContain(query.hash);
    const scores = result.hits.map((h) => h.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(scores[0]!).toBeGreaterThan(scores[1]! + 0.05);
  });

  it('filters by score, by folder and finds more like several photos', async () => {
    const query = await byName('scene-0.jpg');
    const first = await core.handlers['photos:similar']({ id: query.id, k: 10, minScore: 0 });
    const cut = first.hits[0]!.score - 0.0001;
    const strict = await core.handlers['photos:similar']({ id: query.id, k: 10, minScore: cut });
    expect(strict.hits.map((h) => h.photo.name)).toEqual(['scene-0-edit.webp']);

    const folders = await core.handlers['folders:list']({});
    const inFolder = await core.handlers['photos:similar']({
      id: query.id,
      k: 10,
      minScore: 0,
      folderIds: [folders[0]!.id],
    });
    expect(inFolder.hits.length).toBe(SCENES + 1 - 1);

    const two = [query.id, (await byName('scene-2.jpg')).id];
    const many = await core.handlers['photos:similar-to-many']({ ids: two, k: 3, minScore: 0 });
    const names = many.hits.map((h) => h.photo.name);
    expect(names).not.toContain('scene-0.jpg');
    expect(names).not.toContain('scene-2.jpg');
    expect(names[0]).toBe('scene-0-edit.webp');
  });

  it('groups exact and near duplicates separately and suggests the best copy', async () => {
    // Each photo's look-alikes were looked up in the background as it was indexed.
    const db = openDatabase(dataPaths(dataDir).database);
    const scanned = db.prepare('SELECT count(*) FROM near_scanned').pluck().get();
    const pairs = db.prepare('SELECT count(*) FROM near_pairs WHERE score >= 0.92').pluck().get() as number;
    db.close();
    expect(scanned).toBe(SCENES + 1);
    expect(pairs).toBeGreaterThanOrEqual(1);
    const { groups } = await core.handlers['photos:duplicates']({ threshold: 0.92, limit: 50 });
    const exact = groups.filter((g) => g.kind === 'exact');
    expect(exact).toHaveLength(1);
    expect(exact[0]!.photos.map((p) => p.name).sort()).toEqual(['scene-1-copy.jpg', 'scene-1.jpg']);
    const near = groups.find((g) => g.kind === 'near' && g.photos.some((p) => p.name === 'scene-0.jpg'));
    expect(near?.photos.map((p) => p.name).sort()).toEqual(['scene-0-edit.webp', 'scene-0.jpg']);
    // The original is larger than the edit: it is the one to keep.
    expect(near?.keepId).toBe((await byName('scene-0.jpg')).id);
  });

  const embeddedDir = () => join(dataPaths(dataDir).vectors, 'embedded');
  const damages: [string, () => void][] = [
    ['its files are deleted', () => rmSync(embeddedDir(), { recursive: true, force: true })],
    [
      'it was saved by the earlier version (an f16 graph)',
      () => {
        const sidecar = join(embeddedDir(), readdirSync(embeddedDir())[0]!, 'vectors.json');
        writeFileSync(
          sidecar,
          JSON.stringify({ ...JSON.parse(readFileSync(sidecar, 'utf8')), quantization: 'f16' }),
        );
      },
    ],
  ];
  it.each(damages)(
    'rebuilds the embedded index from SQLite when %s, without re-embedding',
    async (_, damage) => {
      await core.close();
      const db = openDatabase(dataPaths(dataDir).database);
      const before = db.prepare('SELECT count(*) FROM embeddings').pluck().get();
      db.close();
      damage();

      core = await openCore();
      await waitUntilSettled(core);
      const status = await core.handlers['vectors:status']({});
      expect(status).toMatchObject({ expected: SCENES + 1, outbox: 0, state: 'ready' });
      const query = await byName('scene-0.jpg');
      const result = await core.handlers['photos:similar']({ id: query.id, k: 3, minScore: 0 });
      expect(result.hits[0]?.photo.name).toBe('scene-0-edit.webp');
      const db2 = openDatabase(dataPaths(dataDir).database);
      // Same rows: nothing was embedded again.
      expect(db2.prepare('SELECT count(*) FROM embeddings').pluck().get()).toBe(before);
      expect(db2.prepare("SELECT count(*) FROM jobs WHERE kind = 'embed'").pluck().get()).toBe(0);
      db2.close();
      // Saved again in the current format (closing saves), so it was rebuilt, not reused.
      await core.close();
      const [model] = readdirSync(embeddedDir());
      const sidecar = JSON.parse(readFileSync(join(embeddedDir(), model!, 'vectors.json'), 'utf8'));
      expect(sidecar).toMatchObject({ quantization: 'i8', count: SCENES + 1 });
      core = await openCore();
      await waitUntilSettled(core);
    },
  );

  it('moves files to the trash only when confirmed, and forgets them', async () => {
    const copy = await byName('scene-1-copy.jpg');
    expect(() => parseRequest('photos:trash', { ids: [copy.id] })).toThrow(/confirmed/);
    expect(() => parseRequest('photos:trash', { ids: [copy.id], confirmed: false })).toThrow(/confirmed/);
    const result = await core.handlers['photos:trash']({ ids: [copy.id], confirmed: true });
    expect(result).toEqual({ trashed: 1, failed: [] });
    expect(trashed).toEqual([copy.path]);
    expect(await core.handlers['photos:get']({ id: copy.id })).toBeNull();
  });

  it('forgets a trashed photo with its look-alike pairs once it is collected, two weeks later', async () => {
    const edit = await byName('scene-0-edit.webp');
    await core.handlers['photos:trash']({ ids: [edit.id], confirmed: true });
    const { groups } = await core.handlers['photos:duplicates']({ threshold: 0.5, limit: 50 });
    expect(groups.flatMap((g) => g.photos.map((p) => p.hash))).not.toContain(edit.hash);
    await core.close();
    // Two weeks pass: the photo has been an orphan for longer than the grace period.
    const rowsNaming = (table: string, where: string) =>
      inDatabase((db) =>
        db.prepare(`SELECT count(*) FROM ${table} WHERE ${where}`).pluck().get({ hash: edit.hash }),
      );
    inDatabase((db) =>
      db
        .prepare('UPDATE photos SET orphaned_at = ? WHERE hash = ? AND orphaned_at IS NOT NULL')
        .run(Date.now() - 15 * 24 * 3600 * 1000, edit.hash),
    );
    expect(rowsNaming('near_pairs', '@hash IN (a, b)')).toBeGreaterThan(0);

    core = await openCore(); // garbage collection runs at start
    await waitUntilSettled(core);
    expect(rowsNaming('photos', 'hash = @hash')).toBe(0);
    expect(rowsNaming('embeddings', 'hash = @hash')).toBe(0);
    expect(rowsNaming('near_pairs', '@hash IN (a, b)')).toBe(0);
    expect(rowsNaming('near_scanned', 'hash = @hash')).toBe(0);
  });
});
