// One decode per photo through the real core (queue, ingest, worker pool, SQLite): a new photo's
// vector is made from the pixels ingest decoded for its previews; a photo whose previews already
// exist (the model came later) is decoded from its file again. Both give the same vector.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildOfflineModel } from '../../scripts/models/build-offline-model';
import { type Core, createCore, dataPaths } from '../../src/main/core/app';
import { blobToVector } from '../../src/main/core/embed/embedding-rows';
import { openDatabase } from '../../src/main/core/library/db';
import { cosine, drawScene } from '../embed/helpers';
import { waitUntilSettled } from '../helpers/settle';
import { RecordingNotifier, tempDir } from '../helpers/temp';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
beforeAll(() => {
  buildOfflineModel();
}, 120_000);

async function library(count: number) {
  const photos = tempDir('komorebi-photos-');
  const data = tempDir('komorebi-data-');
  const empty = tempDir('komorebi-no-models-');
  cleanups.push(photos.cleanup, data.cleanup, empty.cleanup);
  for (let i = 0; i < count; i++) {
    const png = await drawScene(300 + i, 1800, 1200);
    writeFileSync(join(photos.dir, `p-${i}.jpg`), await sharp(png).jpeg({ quality: 90 }).toBuffer());
  }
  return { photos: photos.dir, data: data.dir, noModels: empty.dir };
}

async function open(dataDir: string, manifestDir?: string): Promise<Core> {
  const core = await createCore({ dataDir, shell: 'test', notifier: new RecordingNotifier(), manifestDir });
  cleanups.push(() => core.close());
  return core;
}

function vectors(dataDir: string): Map<string, Float32Array> {
  const db = openDatabase(dataPaths(dataDir).database);
  try {
    const rows = db.prepare('SELECT hash, vector FROM embeddings').all() as {
      hash: string;
      vector: Buffer;
    }[];
    return new Map(rows.map((r) => [r.hash, blobToVector(r.vector)]));
  } finally {
    db.close();
  }
}

describe('one decode per photo, through the core', () => {
  it('embeds new photos from their preview decode, and photos with previews from their file', async () => {
    const shared = await library(4);
    const core = await open(shared.data);
    await core.handlers['folders:add']({ path: shared.photos });
    await waitUntilSettled(core);
    expect(core.decodes()).toEqual({ shared: 4, again: 0 });
    const fromShared = vectors(shared.data);
    expect(fromShared.size).toBe(4);

    // The same photos ingested with no model, then the model arrives: previews exist, so the
    // worker decodes each file again.
    const later = await library(4);
    const ingestOnly = await open(later.data, later.noModels);
    await ingestOnly.handlers['folders:add']({ path: later.photos });
    await waitUntilSettled(ingestOnly);
    await ingestOnly.close();
    const withModel = await open(later.data);
    await waitUntilSettled(withModel);
    expect(withModel.decodes()).toEqual({ shared: 0, again: 4 });
    const fromFile = vectors(later.data);

    expect([...fromFile.keys()].sort()).toEqual([...fromShared.keys()].sort());
    for (const [hash, v] of fromShared) expect(cosine(v, fromFile.get(hash)!)).toBeGreaterThan(0.995);
  }, 180_000);
});
