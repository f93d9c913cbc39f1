/**
 * CPU milliseconds per photo of each stage of the first index, one stage at a time over a
 * sample of photos (process CPU time, so libvips' and onnxruntime's threads count), for the
 * first-index benchmark's bound and its stage_ms. Both paths' stages: today's one decode with
 * JPEG previews, and the earlier two decodes with WebP previews.
 */

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import type { ModelManifest } from '../src/main/core/embed/manifest';
import { modelRgbFromPixels } from '../src/main/core/embed/model-inputs';
import { openEmbeddingSession } from '../src/main/core/embed/onnx';
import { loadResizedRgb, rgbToTensor } from '../src/main/core/embed/preprocess';
import { readImageInfo } from '../src/main/core/ingest/image-info';
import {
  encodePreview,
  PREVIEW_ENCODING,
  type PreviewEncoding,
  THUMB_LARGE,
  THUMB_SMALL,
  WEBP_PREVIEWS,
} from '../src/main/core/ingest/thumbnails';

export type StageMs = Record<string, number>;

/** CPU ms per item of `fn` run over `items` one after the other. */
async function cpuMsPer<T>(items: T[], fn: (item: T) => Promise<unknown>): Promise<number> {
  const start = process.cpuUsage();
  for (const item of items) await fn(item);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / items.length;
}

interface Decoded {
  data: Buffer;
  width: number;
  height: number;
  channels: 3 | 4;
  original: { width: number; height: number };
}

async function decodePreview(file: string): Promise<Decoded> {
  const meta = await sharp(file, { autoOrient: true }).metadata();
  const { data, info } = await sharp(file)
    .rotate()
    .resize(THUMB_LARGE, THUMB_LARGE, { fit: 'inside', withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    data,
    width: info.width,
    height: info.height,
    channels: info.channels as 3 | 4,
    original: {
      width: meta.autoOrient?.width ?? meta.width!,
      height: meta.autoOrient?.height ?? meta.height!,
    },
  };
}

function encodeWith(d: Decoded, encoding: PreviewEncoding, which: 'large' | 'small'): Promise<Buffer> {
  let image = sharp(d.data, { raw: { width: d.width, height: d.height, channels: d.channels } });
  if (which === 'small') image = image.resize(THUMB_SMALL, THUMB_SMALL, { fit: 'inside' });
  return encodePreview(image, encoding.format, encoding[which]);
}

/** Every stage's CPU ms per photo, on `files` (a sample), with the model at `modelPath`. */
export async function measureStages(
  files: string[],
  manifest: ModelManifest,
  modelPath: string,
): Promise<StageMs> {
  sharp.concurrency(1); // one libvips thread: CPU time per stage without threading overhead
  const decoded = await Promise.all(files.map(decodePreview));
  const ms: StageMs = {};
  ms.hash = await cpuMsPer(files, async (f) => createHash('sha256').update(readFileSync(f)).digest('hex'));
  ms.header_exif = await cpuMsPer(files, (f) => readImageInfo(f, 268_402_689));
  ms.decode_preview = await cpuMsPer(files, decodePreview);
  ms.jpeg_large = await cpuMsPer(decoded, (d) => encodeWith(d, PREVIEW_ENCODING, 'large'));
  ms.jpeg_small = await cpuMsPer(decoded, (d) => encodeWith(d, PREVIEW_ENCODING, 'small'));
  ms.model_input_from_pixels = await cpuMsPer(decoded, (d) => modelRgbFromPixels(d, d.original, manifest));
  ms.webp_large = await cpuMsPer(decoded, (d) => encodeWith(d, WEBP_PREVIEWS, 'large'));
  ms.webp_small = await cpuMsPer(decoded, (d) => encodeWith(d, WEBP_PREVIEWS, 'small'));
  ms.decode_file_for_model = await cpuMsPer(files, (f) => loadResizedRgb(f, manifest));
  sharp.concurrency(0);

  // The model, batch 8 on one intra-op thread (as each of the pool's workers runs it).
  const session = await openEmbeddingSession(modelPath, manifest, { intraOpThreads: 1 });
  const tensor = rgbToTensor(await loadResizedRgb(files[0]!, manifest), manifest);
  const batch = Array.from({ length: 8 }, () => tensor);
  await session.run(batch);
  ms.model = (await cpuMsPer([1, 2, 3, 4], () => session.run(batch))) / batch.length;
  await session.release();
  for (const k of Object.keys(ms)) ms[k] = Math.round(ms[k]! * 10) / 10;
  return ms;
}

/** CPU ms per photo of the work the bound counts: one decode, both previews, the model's input, the model. */
export function oneDecodeMs(ms: StageMs): number {
  return ms.decode_preview! + ms.jpeg_large! + ms.jpeg_small! + ms.model_input_from_pixels! + ms.model!;
}

/** The same for the path before: a decode for the previews, WebP previews, a second decode for the model. */
export function twoDecodeMs(ms: StageMs): number {
  return ms.decode_preview! + ms.webp_large! + ms.webp_small! + ms.decode_file_for_model! + ms.model!;
}
