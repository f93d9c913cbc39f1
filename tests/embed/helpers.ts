// Test images drawn with sharp (gradients, shapes, noise) and small utilities for the embed tests.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { seededRandom } from '../helpers/numbers';

export { cosine, seededRandom } from '../helpers/numbers';

export function makeTempDir(prefix = 'komorebi-embed-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A made-up "photo": a gradient sky, a few filled shapes and a little grain. PNG bytes. */
export async function drawScene(seed: number, width = 480, height = 360): Promise<Buffer> {
  const r = seededRandom(seed);
  const colour = () => `rgb(${Math.floor(r() * 256)},${Math.floor(r() * 256)},${Math.floor(r() * 256)})`;
  const shapes: string[] = [];
  const count = 4 + Math.floor(r() * 5);
  for (let i = 0; i < count; i++) {
    const x = r() * width;
    const y = r() * height;
    const s = (0.08 + r() * 0.3) * Math.min(width, height);
    const kind = Math.floor(r() * 3);
    if (kind === 0) shapes.push(`<circle cx="${x}" cy="${y}" r="${s / 2}" fill="${colour()}"/>`);
    else if (kind === 1) {
      shapes.push(
        `<rect x="${x - s / 2}" y="${y - s / 3}" width="${s}" height="${s * 0.7}" fill="${colour()}"/>`,
      );
    } else {
      const pts = [0, 1, 2].map(() => `${x + (r() - 0.5) * 2 * s},${y + (r() - 0.5) * 2 * s}`).join(' ');
      shapes.push(`<polygon points="${pts}" fill="${colour()}"/>`);
    }
  }
  // A textured region (stripes, checks or dots at a scene's own scale and angle) so scenes
  // differ in structure, not only in colour, as real photos do.
  const cell = 8 + Math.floor(r() * 40);
  const motif = [
    `<rect width="${cell / 2}" height="${cell}" fill="${colour()}"/>`,
    `<rect width="${cell / 2}" height="${cell / 2}" fill="${colour()}"/><rect x="${cell / 2}" y="${cell / 2}" width="${cell / 2}" height="${cell / 2}" fill="${colour()}"/>`,
    `<circle cx="${cell / 2}" cy="${cell / 2}" r="${cell / 4}" fill="${colour()}"/>`,
  ][Math.floor(r() * 3)];
  const patternDef = `<pattern id="p" width="${cell}" height="${cell}" patternUnits="userSpaceOnUse" patternTransform="rotate(${Math.floor(r() * 180)})">${motif}</pattern>`;
  const px = r() * width * 0.5;
  const py = r() * height * 0.5;
  shapes.unshift(
    `<rect x="${px}" y="${py}" width="${width * (0.3 + r() * 0.4)}" height="${height * (0.3 + r() * 0.4)}" fill="url(#p)"/>`,
  );
  const angle = Math.floor(r() * 4);
  const [x2, y2] = [
    [1, 0],
    [0, 1],
    [1, 1],
    [0, 0.5],
  ][angle]!;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs>${patternDef}<linearGradient id="g" x1="0" y1="0" x2="${x2}" y2="${y2}">
      <stop offset="0" stop-color="${colour()}"/><stop offset="1" stop-color="${colour()}"/>
    </linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>${shapes.join('')}</svg>`;
  // Coarse grain (drawn at 1/4 size, then enlarged) reads as texture, like foliage or gravel, and
  // survives resizing, so it is part of what the photo shows.
  const gw = Math.ceil(width / 4);
  const gh = Math.ceil(height / 4);
  const grainSmall = Buffer.alloc(gw * gh * 4);
  for (let i = 0; i < gw * gh; i++) grainSmall.set([r() * 256, r() * 256, r() * 256, 25], i * 4);
  const grain = await sharp(grainSmall, { raw: { width: gw, height: gh, channels: 4 } })
    .resize(width, height, { kernel: 'cubic' })
    .raw()
    .toBuffer();
  return sharp(Buffer.from(svg))
    .composite([{ input: grain, raw: { width, height, channels: 4 } }])
    .png()
    .toBuffer();
}
