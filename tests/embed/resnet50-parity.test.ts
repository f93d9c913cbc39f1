// ResNet-50 one click away, proven equal to the original Python pipeline. A seeded stand-in for
// timm's model.safetensors (same names and shapes) is served from a local HTTP server that drops
// the first connection halfway; the app, through its Api, suggests the model, downloads it
// (progress, resume, SHA-256), converts it, makes it active and embeds the library again. Then
// what it computed is compared with Debian's torch/torchvision/PIL running the original steps.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOfflineModel } from '../../scripts/models/build-offline-model';
import { seededTimmResnet50 } from '../../scripts/models/seeded-timm-resnet50';
import { type Core, createCore } from '../../src/main/core/app';
import { blobToVector } from '../../src/main/core/embed/embedding-rows';
import { loadManifest } from '../../src/main/core/embed/manifest';
import { cosine } from '../helpers/numbers';
import { RecordingNotifier, tempDir } from '../helpers/temp';
import { type FileServer, serveFile } from './file-server';
import { drawScene, seededRandom } from './helpers';
import {
  centredCosines,
  hasOriginalPipeline,
  l2,
  MISSING_PYTHON,
  MISSING_WALLPAPERS,
  type OriginalResult,
  ROTATION_SOURCE,
  runOriginalPipeline,
  wallpapers,
} from './original-pipeline';

const resnet = loadManifest('resources/models/resnet50.json');
const OFFLINE = 'mobilenet-v2-offline';
const python = hasOriginalPipeline();
const photoSources = wallpapers();
if (!python) console.warn(MISSING_PYTHON);
if (!photoSources) console.warn(MISSING_WALLPAPERS);

const tmp = tempDir('komorebi-parity-');
const dirs = {
  photos: path.join(tmp.dir, 'photos'),
  data: path.join(tmp.dir, 'data'),
  manifests: path.join(tmp.dir, 'manifests'),
};
const notifier = new RecordingNotifier();
let server: FileServer;
let core: Core;
let weights: Buffer;
let photos: string[];
const ROTATED = 'kite-exif-rotated.jpg';
const TENSORS = 4;
let tensors: Float32Array;
let original: Promise<OriginalResult> | null = null;

const list = () => core.handlers['models:list']({});
const embedded = async (id: string) => (await list()).models.find((m) => m.id === id)?.embedded ?? 0;
async function until(what: string, ok: () => Promise<boolean>, ms = 240_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`Timed out waiting until ${what}.`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  weights = seededTimmResnet50(1);
  const weightsFile = path.join(tmp.dir, 'model.safetensors');
  writeFileSync(weightsFile, weights);
  server = await serveFile(weights);
  server.dropNext(); // the first connection breaks halfway: the download must resume

  // The library: Debian's wallpapers plus one with an EXIF rotation (pixels stored turned a
  // quarter left, orientation 6 = show turned right), or, without them, generated scenes.
  if (photoSources) {
    for (const f of photoSources) {
      copyFileSync(f, path.join(dirs.photos, path.relative('/usr/share/wallpapers', f).replaceAll('/', '_')));
    }
    await sharp(ROTATION_SOURCE)
      .rotate(-90)
      .withMetadata({ orientation: 6 })
      .jpeg({ quality: 92 })
      .toFile(path.join(dirs.photos, ROTATED));
  } else {
    for (let i = 0; i < 6; i++)
      writeFileSync(path.join(dirs.photos, `scene-${i}.png`), await drawScene(40 + i));
  }
  photos = readdirSync(dirs.photos)
    .map((f) => path.join(dirs.photos, f))
    .sort();
  const r = seededRandom(5);
  tensors = Float32Array.from({ length: TENSORS * 3 * 224 * 224 }, () => (r() * 2 - 1) * 2.2);
  writeFileSync(path.join(tmp.dir, 'inputs.f32'), tensors);
  // The reference runs alongside the app, in one Python process.
  if (python) {
    original = runOriginalPipeline({
      weights: weightsFile,
      tensors: path.join(tmp.dir, 'inputs.f32'),
      count: TENSORS,
      images: photoSources ? photos : [],
    });
    original.catch(() => {});
  }

  copyFileSync('resources/models/mobilenet-v2-offline.json', path.join(dirs.manifests, `${OFFLINE}.json`));
  if (resnet.source.kind !== 'download') throw new Error('the ResNet-50 manifest must have a download');
  const sha256 = createHash('sha256').update(weights).digest('hex');
  const source = { ...resnet.source, url: server.url(), sha256, size: weights.length };
  writeFileSync(path.join(dirs.manifests, 'resnet50.json'), JSON.stringify({ ...resnet, source }));
  core = await createCore({
    dataDir: dirs.data,
    shell: 'test',
    notifier,
    manifestDir: dirs.manifests,
    modelDirs: [path.dirname(buildOfflineModel().path)],
    huggingFaceHub: path.join(tmp.dir, 'no-hub'),
  });
  await core.handlers['folders:add']({ path: dirs.photos });
}, 300_000);

afterAll(async () => {
  await core?.close();
  await server?.close();
  tmp.cleanup();
});

/** The vectors the app stored for a model, by file name. */
function storedVectors(modelId: string): Map<string, Float32Array> {
  const db = new Database(path.join(dirs.data, 'library.db'), { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare(
        'SELECT f.path, e.vector FROM files f JOIN embeddings e ON e.hash = f.hash WHERE e.model_id = ?',
      )
      .all(modelId) as { path: string; vector: Buffer }[];
    return new Map(rows.map((row) => [path.basename(row.path), blobToVector(row.vector)]));
  } finally {
    db.close();
  }
}

describe('ResNet-50 one click away', () => {
  it('is suggested while the offline model works, then downloaded (resumed), converted, activated and used for the whole library', {
    timeout: 600_000,
  }, async () => {
    await until(
      'the offline model has embedded the library',
      async () => (await embedded(OFFLINE)) === photos.length,
    );
    const before = await list();
    expect(before.suggestRecommended).toBe(true);
    expect(before.models.find((m) => m.active)?.id).toBe(OFFLINE);
    expect(before.models.find((m) => m.id === resnet.id)).toMatchObject({
      available: false,
      recommended: true,
      downloadBytes: weights.length,
      license: 'Apache-2.0',
      importTypes: ['.onnx', '.safetensors'],
    });

    expect(await core.handlers['models:download']({ id: resnet.id })).toEqual({
      started: true,
      from: 'download',
    });
    await until(
      'the download finished',
      async () => notifier.of('models:download').some((e) => e.done),
      300_000,
    );
    const events = notifier.of('models:download');
    const end = events.at(-1)!;
    expect(end, end.error ?? '').toMatchObject({ step: 'ready', error: null, received: weights.length });
    expect([...new Set(events.map((e) => e.step))]).toEqual(['downloading', 'converting', 'ready']);
    const downloading = events.filter((e) => e.step === 'downloading');
    expect(downloading.length).toBeGreaterThan(0);
    expect(
      downloading.every(
        (e, i) => e.total === weights.length && e.received >= (downloading[i - 1]?.received ?? 0),
      ),
    ).toBe(true);
    // One request cut halfway, one that resumed from where it stopped.
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.range).toMatch(/^bytes=[1-9]\d*-$/);
    // The converted model is the only file left; the weights were removed after conversion.
    expect(readdirSync(path.join(dirs.data, 'models'))).toEqual(['resnet50.onnx']);

    const after = await list();
    expect(after.models.find((m) => m.active)?.id).toBe(resnet.id);
    expect(after.suggestRecommended).toBe(false);
    await until(
      'ResNet-50 has embedded the library',
      async () => (await embedded(resnet.id)) === photos.length,
    );
    // Both models' vectors are kept, each with its own size, never in one index.
    expect(storedVectors(OFFLINE).size).toBe(photos.length);
    expect([...storedVectors(OFFLINE).values()].every((v) => v.length === 1280)).toBe(true);
    expect([...storedVectors(resnet.id).values()].every((v) => v.length === 2048)).toBe(true);
    await until('the vector index holds ResNet-50', async () => {
      const s = await core.handlers['vectors:status']({});
      return s.model === resnet.id && s.dimension === 2048 && s.stored === photos.length;
    });
  });

  it.skipIf(!python)(
    'the converted model gives what PyTorch gives on the same input tensors',
    { timeout: 600_000 },
    async () => {
      const session = await ort.InferenceSession.create(path.join(dirs.data, 'models', 'resnet50.onnx'));
      const out = (await session.run({ pixels: new ort.Tensor('float32', tensors, [TENSORS, 3, 224, 224]) }))
        .embedding!.data as Float32Array;
      await session.release();
      const reference = (await original!).tensorFeatures!;
      let maxAbs = 0;
      let scale = 0;
      const cosines = reference.map((ref, i) => {
        const ours = out.subarray(i * 2048, (i + 1) * 2048);
        ref.forEach((v, j) => {
          maxAbs = Math.max(maxAbs, Math.abs(v - ours[j]!));
          scale = Math.max(scale, Math.abs(v));
        });
        return cosine(ours, ref);
      });
      const { torch, torchvision } = await original!;
      console.log(
        `ONNX vs torch ${torch} / torchvision ${torchvision} on ${TENSORS} tensors: max abs difference ${maxAbs.toExponential(2)} ` +
          `(${(maxAbs / scale).toExponential(2)} of the largest output, ${scale.toFixed(3)}), minimum cosine ${Math.min(...cosines).toFixed(9)}`,
      );
      expect(maxAbs).toBeLessThanOrEqual(1e-4 * scale);
      expect(Math.min(...cosines)).toBeGreaterThanOrEqual(0.99999);
    },
  );

  it.skipIf(!python || !photoSources)(
    "Komorebi's whole path (sharp with shrink-on-load, resize, crop, tensor, worker pool) gives the original pipeline's vectors",
    { timeout: 600_000 },
    async () => {
      const result = await original!;
      const stored = storedVectors(resnet.id);
      const ours = result.photos.map((p) => Array.from(stored.get(path.basename(p.path))!));
      // The rotated photo is compared with the original pipeline on the photo as it is shown
      // (ImageOps.exif_transpose); PIL's convert('RGB') alone would embed it lying on its side.
      const reference = result.photos.map((p) => l2(p.upright ?? p.features));
      const centred = centredCosines(ours, reference);
      const rows = result.photos.map((p, i) => ({
        photo: path.basename(p.path),
        size: `${p.size[0]}x${p.size[1]} ${p.mode}${p.orientation ? ` orientation ${p.orientation}` : ''}`,
        centred: Number(centred[i]!.toFixed(5)),
        raw: Number(cosine(ours[i]!, reference[i]!).toFixed(6)),
      }));
      console.table(rows);
      const rotated = result.photos.findIndex((p) => p.orientation);
      const sideways = centredCosines(
        ours,
        result.photos.map((p) => l2(p.features)),
      )[rotated]!;
      const mean = centred.reduce((a, b) => a + b, 0) / centred.length;
      console.log(
        `Whole path vs PIL ${result.pillow} + torchvision on ${centred.length} photos: centred cosine mean ${mean.toFixed(5)}, ` +
          `minimum ${Math.min(...centred).toFixed(5)}; the EXIF-rotated photo against PIL without exif_transpose: ${sideways.toFixed(5)}`,
      );
      expect(centred.length).toBeGreaterThanOrEqual(20);
      expect(rotated).toBeGreaterThanOrEqual(0);
      expect(mean).toBeGreaterThanOrEqual(0.995);
      expect(Math.min(...centred)).toBeGreaterThanOrEqual(0.98);
    },
  );
});
