// The original Python workflow as a reference we did not write: Debian's torch, torchvision and
// Pillow run fixtures/original_pipeline.py, once for the whole comparison. Also the photos the
// comparison uses (Debian's wallpapers) and the figures it reports.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { cosine } from '../helpers/numbers';

/** Debian's interpreter: the first python3 on PATH may be another one without these packages. */
const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(import.meta.dirname, 'fixtures', 'original_pipeline.py');

export function hasOriginalPipeline(): boolean {
  return (
    existsSync(PYTHON) &&
    spawnSync(PYTHON, ['-c', 'import torch, torchvision, PIL'], { timeout: 120_000 }).status === 0
  );
}

export const MISSING_PYTHON =
  'Skipped: /usr/bin/python3 with torch, torchvision and PIL is not installed ' +
  '(Debian, as root: apt-get install python3-torch python3-torchvision python3-pil; npm run setup does it).';

export interface OriginalPhoto {
  path: string;
  size: [number, number];
  mode: string;
  /** Raw 2048-d features, as Image.open(p).convert('RGB') gives them. */
  features: number[];
  /** For a photo with an EXIF orientation: the features of ImageOps.exif_transpose(img). */
  upright?: number[];
  orientation?: number;
}

export interface OriginalResult {
  torch: string;
  torchvision: string;
  pillow: string;
  tensorFeatures?: number[][];
  photos: OriginalPhoto[];
}

export function runOriginalPipeline(job: {
  weights: string;
  tensors?: string;
  count?: number;
  images?: string[];
}): Promise<OriginalResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      PYTHON,
      [SCRIPT],
      { maxBuffer: 1 << 28, timeout: 600_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${SCRIPT} failed: ${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as OriginalResult);
      },
    );
    child.stdin?.end(JSON.stringify(job));
  });
}

const WALLPAPERS = '/usr/share/wallpapers';

/**
 * 23 of Debian's plasma-workspace-wallpapers: photographs and renders, JPEG (baseline and
 * progressive, 4:2:0 and 4:4:4, greyscale, with ICC profiles) and PNG (RGB and RGBA), landscape and
 * portrait, from 400x250 (enlarged) to 5120x2880 (JPEG shrink-on-load applies).
 */
const WALLPAPER_FILES = [
  'Autumn/contents/images/2560x1600.jpg',
  'BytheWater/contents/images/2560x1600.jpg',
  'ColdRipple/contents/images/2560x1600.jpg',
  'ColorfulCups/contents/images/2560x1600.jpg',
  'EveningGlow/contents/images/2560x1600.jpg',
  'Grey/contents/images/2560x1600.jpg',
  'Path/contents/images/2560x1600.jpg',
  'PastelHills/contents/images/3200x2000.jpg',
  'SafeLanding/contents/images/5120x2880.jpg',
  'Volna/contents/images/5120x2880.jpg',
  'Honeywave/contents/images/5120x2880.jpg',
  'SafeLanding/contents/images/1622x2880.jpg',
  'Honeywave/contents/images/1080x1920.jpg',
  'Shell/contents/images/720x1440.jpg',
  'EveningGlow/contents/screenshot.jpg',
  'ColdRipple/contents/screenshot.jpg',
  'Altai/contents/images/1080x1920.png',
  'Elarun/contents/images/2560x1600.png',
  'Canopee/contents/images/3840x2160.png',
  'Kokkini/contents/images/3840x2160.png',
  'MilkyWay/contents/images/5120x2880.png',
  'Kay/contents/images/1080x1920.png',
  'Opal/contents/screenshot.png',
].map((f) => path.join(WALLPAPERS, f));

/** The photo an EXIF-rotated copy is made from (no wallpaper carries an orientation). */
export const ROTATION_SOURCE = path.join(WALLPAPERS, 'Kite/contents/images/2560x1600.jpg');

export function wallpapers(): string[] | null {
  const all = [...WALLPAPER_FILES, ROTATION_SOURCE];
  return all.every((f) => existsSync(f)) ? WALLPAPER_FILES : null;
}

export const MISSING_WALLPAPERS =
  `Skipped: Debian's wallpapers are not in ${WALLPAPERS} ` +
  '(Debian, as root: apt-get install plasma-workspace-wallpapers; npm run setup does it).';

export function l2(v: ArrayLike<number>): number[] {
  const n = Math.hypot(...Array.from(v));
  return Array.from(v, (x) => x / n);
}

/**
 * Seeded weights make every feature nearly collinear (raw cosine about 0.998 between unrelated
 * photos), so pairs are compared after subtracting the mean reference vector over all photos.
 */
export function centredCosines(ours: number[][], reference: number[][]): number[] {
  const mean = reference[0]!.map((_, j) => reference.reduce((sum, r) => sum + r[j]!, 0) / reference.length);
  const centre = (v: number[]) => v.map((x, j) => x - mean[j]!);
  return ours.map((v, i) => cosine(centre(v), centre(reference[i]!)));
}
