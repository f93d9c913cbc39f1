// With the offline real-weights model on generated photos: every photo's edited copy
// (resized, re-encoded, cropped, brightened) is among its top 3 similar photos.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildOfflineModel } from '../../scripts/models/build-offline-model';
import { type Core, createCore } from '../../src/main/core/app';
import { drawScene } from '../embed/helpers';
import { waitUntilSettled } from '../helpers/settle';
import { RecordingNotifier, tempDir } from '../helpers/temp';

const SCENES = 8;
const EDITS: Record<string, (img: Sharp) => Sharp> = {
  resized: (img) => img.resize(200).jpeg({ quality: 85 }),
  reencoded: (img) => img.webp({ quality: 40 }),
  cropped: (img) => img.extract({ left: 24, top: 18, width: 420, height: 315 }).jpeg(),
  brightened: (img) => img.modulate({ brightness: 1.25 }).jpeg(),
};

let core: Core;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  buildOfflineModel();
  const photos = tempDir('komorebi-photos-');
  const data = tempDir('komorebi-data-');
  cleanups.push(photos.cleanup, data.cleanup);
  for (let i = 0; i < SCENES; i++) {
    const original = await sharp(await drawScene(3000 + i * 31))
      .jpeg({ quality: 92 })
      .toBuffer();
    writeFileSync(join(photos.dir, `scene-${i}.jpg`), original);
    const [kind, edit] = Object.entries(EDITS)[i % 4]!;
    const ext = kind === 'reencoded' ? 'webp' : 'jpg';
    writeFileSync(join(photos.dir, `scene-${i}-${kind}.${ext}`), await edit(sharp(original)).toBuffer());
  }
  core = await createCore({ dataDir: data.dir, shell: 'test', notifier: new RecordingNotifier() });
  await core.handlers['folders:add']({ path: photos.dir });
  await waitUntilSettled(core);
}, 180_000);

afterAll(async () => {
  await core?.close();
  for (const c of cleanups) c();
});

it('finds each edited copy in the top 3 of its original', async () => {
  const page = await core.handlers['photos:list']({ offset: 0, limit: 100 });
  expect(page.total).toBe(SCENES * 2);
  for (let i = 0; i < SCENES; i++) {
    const original = page.items.find((p) => p.name === `scene-${i}.jpg`)!;
    const result = await core.handlers['photos:similar']({ id: original.id, k: 3, minScore: 0 });
    const top3 = result.hits.map((h) => h.photo.name);
    expect(
      top3.some((n) => n.startsWith(`scene-${i}-`)),
      `scene-${i}: ${top3.join(', ')}`,
    ).toBe(true);
  }
});
