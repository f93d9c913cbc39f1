import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import sharp from 'sharp';

export { seededRandom as random } from '../../../scripts/seeded-random';

import { seededRandom as random } from '../../../scripts/seeded-random';

/** One small, distinct picture: a coloured background and three blocks placed by `seed`. */
export async function photo(seed: number, width = 128, height = 96): Promise<Buffer> {
  const rnd = random(seed * 7919 + 13);
  const pixels = Buffer.alloc(width * height * 3);
  const bg = [rnd() * 255, rnd() * 255, rnd() * 255];
  const blocks = [0, 1, 2].map(() => ({
    x: Math.floor(rnd() * width * 0.7),
    y: Math.floor(rnd() * height * 0.7),
    w: 8 + Math.floor(rnd() * width * 0.3),
    h: 8 + Math.floor(rnd() * height * 0.3),
    c: [rnd() * 255, rnd() * 255, rnd() * 255],
  }));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const b = blocks.find((k) => x >= k.x && x < k.x + k.w && y >= k.y && y < k.y + k.h);
      const c = b ? b.c : bg;
      pixels[i] = c[0]! + ((x * 40) / width) * (seed % 3);
      pixels[i + 1] = c[1]! + (y * 30) / height;
      pixels[i + 2] = c[2]!;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 85 })
    .toBuffer();
}

/**
 * Writes `count` distinct photos into `dir`, spread over year/month subfolders as a camera
 * import would leave them. Returns their relative paths.
 */
export async function writePhotoLibrary(dir: string, count: number, firstSeed = 1): Promise<string[]> {
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const rel = join(
      `${2015 + (i % 8)}`,
      `${String(1 + (i % 12)).padStart(2, '0')}`,
      `IMG_${String(i).padStart(5, '0')}.jpg`,
    );
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    await writeFile(join(dir, rel), await photo(firstSeed + i));
    paths.push(rel);
  }
  return paths;
}

/** sha-256 of every file under `dir` (relative path -> hex), to prove originals are untouched. */
export function checksums(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out.set(relative(dir, path), createHash('sha256').update(readFileSync(path)).digest('hex'));
  }
  return out;
}

/** Files whose bytes differ from `before`, or that vanished or appeared. */
export function changedOriginals(dir: string, before: Map<string, string>): string[] {
  const now = checksums(dir);
  const changed = [...before].filter(([p, h]) => now.get(p) !== h).map(([p]) => p);
  const added = [...now.keys()].filter((p) => !before.has(p));
  return [...changed, ...added.map((p) => `${p} (new)`)];
}

export const sizeOf = (path: string) => statSync(path).size;
