/**
 * `npm run bench -- previews [--generated 8] [--wallpapers 16]`: which encoding makes the
 * gallery's previews cheapest at equal visual quality. Real photos (Debian's
 * plasma-workspace-wallpapers, the largest size of each, when installed) plus generated
 * 12 MP JPEGs; each decoded once to the 1600 px preview and the 320 px thumbnail (raw
 * pixels, the reference), then encoded at a sweep of qualities by each candidate. For
 * every candidate: mean SSIM against the raw pixels (ssim.js bezkrovny, full resolution, luma), bytes
 * and encode time on one thread. "Equal quality" is the mean SSIM of today's setting (WebP
 * q82 default effort for the preview, q78 for the thumbnail); each candidate's quality,
 * bytes and time are interpolated to that SSIM. `--only jpeg,jpeg_plain` runs those candidates
 * (and today's reference) alone.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { ssim } from 'ssim.js';
import { photoSet } from './_photos';
import { argValue, printResult } from './_util';

interface Raw {
  data: Buffer;
  width: number;
  height: number;
  channels: 3;
}

interface Candidate {
  name: string;
  qualities: number[];
  encode: (raw: Raw, quality: number) => Promise<Buffer>;
}

const rawInput = (r: Raw) => sharp(r.data, { raw: { width: r.width, height: r.height, channels: 3 } });

export const CANDIDATES: Candidate[] = [
  ...[0, 2, 4, 6].map((effort) => ({
    name: `webp_e${effort}`,
    qualities: [60, 70, 78, 82, 86, 90],
    encode: (r: Raw, quality: number) => rawInput(r).webp({ quality, effort }).toBuffer(),
  })),
  {
    name: 'jpeg',
    qualities: [60, 70, 78, 82, 86, 90, 94],
    encode: (r, quality) => rawInput(r).jpeg({ quality }).toBuffer(),
  },
  {
    // The same pixels with libjpeg's standard Huffman tables (no second pass): decision 0066.
    name: 'jpeg_plain',
    qualities: [60, 70, 78, 82, 86, 90, 94],
    encode: (r, quality) => rawInput(r).jpeg({ quality, optimiseCoding: false }).toBuffer(),
  },
  {
    name: 'jpeg_mozjpeg',
    qualities: [60, 70, 78, 82, 86, 90, 94],
    encode: (r, quality) => rawInput(r).jpeg({ quality, mozjpeg: true }).toBuffer(),
  },
];

/** Today's settings: the reference quality every candidate is brought to. */
const TODAY = { large: { name: 'webp_e4', quality: 82 }, small: { name: 'webp_e4', quality: 78 } };

function wallpapers(limit: number): string[] {
  const root = '/usr/share/wallpapers';
  if (!existsSync(root)) return [];
  const out: string[] = [];
  for (const theme of readdirSync(root).sort()) {
    const dir = join(root, theme, 'contents', 'images');
    if (!existsSync(dir)) continue;
    const biggest = readdirSync(dir)
      .map((f) => ({ f, m: /^(\d+)x(\d+)\.jpe?g$/.exec(f) }))
      .filter((x) => x.m)
      .sort((a, b) => Number(b.m![1]) * Number(b.m![2]) - Number(a.m![1]) * Number(a.m![2]))[0];
    if (biggest) out.push(join(dir, biggest.f));
    if (out.length >= limit) break;
  }
  return out;
}

async function decodeTo(file: string, size: number): Promise<Raw> {
  const { data, info } = await sharp(file)
    .rotate()
    .resize(size, size, { fit: 'inside', withoutEnlargement: true })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3 };
}

function rgba(data: Buffer, width: number, height: number, channels: number) {
  const out = new Uint8ClampedArray(width * height * 4);
  for (let p = 0, q = 0; p < width * height; p++, q += channels) {
    out[p * 4] = data[q]!;
    out[p * 4 + 1] = data[q + 1]!;
    out[p * 4 + 2] = data[q + 2]!;
    out[p * 4 + 3] = 255;
  }
  return { data: out, width, height };
}

async function score(ref: Raw, encoded: Buffer): Promise<number> {
  const { data, info } = await sharp(encoded).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const a = rgba(ref.data, ref.width, ref.height, 3);
  const b = rgba(data, info.width, info.height, info.channels);
  return ssim(a, b, { downsample: false, ssim: 'bezkrovny' }).mssim;
}

interface Point {
  quality: number;
  ssim: number;
  bytes: number;
  ms: number;
}

async function sweep(refs: Raw[], c: Candidate): Promise<Point[]> {
  const points: Point[] = [];
  for (const quality of c.qualities) {
    let s = 0;
    let bytes = 0;
    let ms = 0;
    for (const ref of refs) {
      await c.encode(ref, quality); // warm, and the timed run below is steady
      const t = performance.now();
      const out = await c.encode(ref, quality);
      ms += performance.now() - t;
      bytes += out.length;
      s += await score(ref, out);
    }
    points.push({ quality, ssim: s / refs.length, bytes: bytes / refs.length, ms: ms / refs.length });
  }
  return points;
}

/** Quality, bytes and time where the sweep crosses `target` SSIM (linear between two points). */
function atSsim(points: Point[], target: number): Point | null {
  for (let i = 0; i < points.length; i++) {
    const b = points[i]!;
    if (b.ssim < target) continue;
    const a = points[i - 1];
    if (!a) return b;
    const t = (target - a.ssim) / (b.ssim - a.ssim);
    const mix = (x: number, y: number) => x + (y - x) * t;
    return {
      quality: mix(a.quality, b.quality),
      ssim: target,
      bytes: mix(a.bytes, b.bytes),
      ms: mix(a.ms, b.ms),
    };
  }
  return null;
}

export async function run(args: string[]): Promise<void> {
  sharp.concurrency(1); // encode time on one thread, as a worker spends it
  sharp.cache(false);
  const real = wallpapers(Number(argValue(args, '--wallpapers') ?? 16));
  const generated = await photoSet('ingest-12mp', Number(argValue(args, '--generated') ?? 8));
  const sources = [...real, ...generated];
  const only = argValue(args, '--only')?.split(',');
  const candidates = CANDIDATES.filter(
    (c) => !only || only.includes(c.name) || c.name === TODAY.large.name || c.name === TODAY.small.name,
  );
  console.log(`${real.length} wallpapers (real photos) + ${generated.length} generated 12 MP JPEGs`);
  const result: Record<string, unknown> = { photos: sources.length, real_photos: real.length };
  for (const [which, size] of [
    ['large', 1600],
    ['small', 320],
  ] as const) {
    const refs = await Promise.all(sources.map((f) => decodeTo(f, size)));
    const sweeps = new Map<string, Point[]>();
    for (const c of candidates) sweeps.set(c.name, await sweep(refs, c));
    const today = sweeps.get(TODAY[which].name)!.find((p) => p.quality === TODAY[which].quality)!;
    result[`${which}_target_ssim`] = round(today.ssim, 4);
    console.log(
      `\n${which} (${size} px): target SSIM ${today.ssim.toFixed(4)} (today: ${TODAY[which].name} q${TODAY[which].quality}, ${kb(today.bytes)} KB, ${today.ms.toFixed(1)} ms)`,
    );
    for (const c of candidates) {
      const points = sweeps.get(c.name)!;
      for (const p of points)
        console.log(
          `  ${c.name.padEnd(13)} q${p.quality}: SSIM ${p.ssim.toFixed(4)}, ${kb(p.bytes)} KB, ${p.ms.toFixed(1)} ms`,
        );
      const eq = atSsim(points, today.ssim);
      console.log(
        eq
          ? `  => ${c.name} at equal quality: q${eq.quality.toFixed(0)}, ${kb(eq.bytes)} KB, ${eq.ms.toFixed(1)} ms`
          : `  => ${c.name} never reaches the target SSIM in this sweep`,
      );
      if (eq) {
        result[`${which}_${c.name}_q`] = round(eq.quality, 0);
        result[`${which}_${c.name}_kb`] = round(eq.bytes / 1024, 1);
        result[`${which}_${c.name}_ms`] = round(eq.ms, 1);
      }
    }
  }
  printResult(result);
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
