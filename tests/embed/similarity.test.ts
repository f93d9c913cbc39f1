// With the offline model run through the worker pool, a photo and an edited copy of it (smaller,
// re-encoded, slightly cropped) must be closer than any two different photos.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOfflineModel } from '../../scripts/models/build-offline-model';
import { loadManifest } from '../../src/main/core/embed/manifest';
import { EmbedderPool, type EmbedItem } from '../../src/main/core/embed/pool';
import { cosine, drawScene, makeTempDir } from './helpers';

const manifest = loadManifest('resources/models/mobilenet-v2-offline.json');
const tmp = makeTempDir();
const SCENES = [101, 202, 303, 404, 505, 606];
const EDITS = ['resized', 'recompressed', 'cropped'] as const;
let pool: EmbedderPool;
const vectors = new Map<string, Float32Array>();

beforeAll(async () => {
  const items: EmbedItem[] = [];
  for (const seed of SCENES) {
    const png = await drawScene(seed, 640, 480);
    const write = async (name: string, bytes: Buffer) => {
      const file = path.join(tmp.dir, `${seed}-${name}.jpg`);
      await writeFile(file, bytes);
      items.push({ hash: `${seed}-${name}`, path: file });
    };
    await write('original', await sharp(png).jpeg({ quality: 92 }).toBuffer());
    await write('resized', await sharp(png).resize(320, 240).jpeg({ quality: 92 }).toBuffer());
    await write('recompressed', await sharp(png).jpeg({ quality: 35 }).toBuffer());
    await write(
      'cropped',
      await sharp(png)
        .extract({ left: 24, top: 18, width: 592, height: 444 })
        .jpeg({ quality: 92 })
        .toBuffer(),
    );
  }
  pool = await EmbedderPool.open({
    manifest,
    modelPath: buildOfflineModel().path,
    workers: 2,
    threadsPerWorker: 1,
    batchSize: 4,
  });
  for (const r of await pool.embed(items)) {
    if (!r.ok) throw new Error(r.error);
    vectors.set(r.hash, r.vector);
  }
});

afterAll(async () => {
  await pool?.close();
  tmp.remove();
});

describe('similar photos with the offline model', () => {
  it('scores every edited copy above every unrelated photo', () => {
    const lines: string[] = [];
    for (const seed of SCENES) {
      const original = vectors.get(`${seed}-original`)!;
      const unrelated = SCENES.filter((s) => s !== seed).map((s) =>
        cosine(original, vectors.get(`${s}-original`)!),
      );
      const worstUnrelated = Math.max(...unrelated);
      for (const edit of EDITS) {
        const same = cosine(original, vectors.get(`${seed}-${edit}`)!);
        lines.push(`${seed} ${edit}: ${same.toFixed(3)} vs unrelated max ${worstUnrelated.toFixed(3)}`);
        expect(same, lines.at(-1)).toBeGreaterThan(worstUnrelated);
      }
    }
  });

  it('returns unit-length vectors of the manifest dimension', () => {
    for (const v of vectors.values()) {
      expect(v.length).toBe(1280);
      expect(Math.hypot(...v)).toBeCloseTo(1, 4);
    }
  });
});
