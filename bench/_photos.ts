/**
 * Real-size test photos for benchmarks: 12 MP JPEGs, all different, with photo-like
 * entropy (a scene plus sensor-like noise), so decoding costs what a camera file costs.
 * Cached in bench/.cache so repeated runs measure the app, not the generator.
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { seededRandom } from './_util';

export const CACHE_DIR = join(dirname(fileURLToPath(import.meta.url)), '.cache');

function sceneSvg(seed: number, w: number, h: number): string {
  const rand = seededRandom(seed);
  const hue = () => Math.floor(rand() * 360);
  let shapes = '';
  for (let i = 0; i < 14; i++) {
    const x = Math.floor(rand() * w);
    const y = Math.floor(rand() * h);
    const r = Math.floor(20 + rand() * w * 0.25);
    shapes +=
      rand() < 0.5
        ? `<circle cx="${x}" cy="${y}" r="${r}" fill="hsl(${hue()},60%,${30 + rand() * 40}%)" fill-opacity="0.8"/>`
        : `<rect x="${x - r}" y="${y - r / 2}" width="${r * 2}" height="${r}" fill="hsl(${hue()},50%,${30 + rand() * 40}%)" fill-opacity="0.8"/>`;
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="hsl(${hue()},55%,70%)"/><stop offset="1" stop-color="hsl(${hue()},45%,25%)"/>
    </linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/>${shapes}</svg>`;
}

let noiseTile: { data: Buffer; width: number; height: number } | null = null;

/** One big tile of sensor-like noise, made once; each photo takes a different window of it. */
async function noise(
  width: number,
  height: number,
): Promise<{ data: Buffer; width: number; height: number }> {
  const w = width + 256;
  const h = height + 256;
  if (noiseTile && noiseTile.width === w && noiseTile.height === h) return noiseTile;
  const data = await sharp({
    create: {
      width: w,
      height: h,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 22 },
    },
  })
    .raw()
    .toBuffer();
  noiseTile = { data, width: w, height: h };
  return noiseTile;
}

/** One 12 MP JPEG (4000x3000) for `seed`; a `.png` file name writes a PNG. */
export async function makePhoto(seed: number, file: string, width = 4000, height = 3000): Promise<void> {
  const rand = seededRandom(seed * 7919);
  const scene = await sharp(Buffer.from(sceneSvg(seed, 400, 300)))
    .blur(1.5)
    .resize(width, height, { kernel: 'linear' })
    .raw()
    .toBuffer();
  const tile = await noise(width, height);
  const grain = await sharp(tile.data, { raw: { width: tile.width, height: tile.height, channels: 3 } })
    .extract({ left: Math.floor(rand() * 256), top: Math.floor(rand() * 256), width, height })
    .raw()
    .toBuffer();
  const photo = sharp(scene, { raw: { width, height, channels: 3 } })
    .composite([{ input: grain, raw: { width, height, channels: 3 }, blend: 'soft-light' }])
    .withExif({ IFD0: { Make: 'Komorebi', Model: 'Bench Camera' } });
  await (file.endsWith('.png') ? photo.png() : photo.jpeg({ quality: 90 })).toFile(file);
}

/** `count` distinct photos (12 MP JPEGs unless told) in a cached folder (made once, reused). */
export async function photoSet(
  name: string,
  count: number,
  firstSeed = 1,
  kind: { width: number; height: number; ext: 'jpg' | 'png' } = { width: 4000, height: 3000, ext: 'jpg' },
): Promise<string[]> {
  const dir = join(CACHE_DIR, name);
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const have = new Set(existsSync(dir) ? readdirSync(dir) : []);
  const started = Date.now();
  for (let i = 0; i < count; i++) {
    const base = `IMG_${String(firstSeed + i).padStart(5, '0')}.${kind.ext}`;
    const file = join(dir, base);
    if (!have.has(base)) await makePhoto(firstSeed + i, file, kind.width, kind.height);
    files.push(file);
    if ((i + 1) % 50 === 0 && !have.has(base)) {
      console.log(`  made ${i + 1}/${count} photos (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
  }
  return files;
}
