import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';

export const THUMB_SMALL = 320;
export const THUMB_LARGE = 1600;

/** Media paths (served under `thumbs/`) for the gallery queries. */
export function thumbPaths(hash: string): { small: string; large: string } {
  const dir = `thumbs/${hash.slice(0, 2)}`;
  return { small: `${dir}/${hash}_s.webp`, large: `${dir}/${hash}_l.webp` };
}

/** Where the thumbnails of `hash` live on disk. */
export function thumbFiles(thumbsDir: string, hash: string): { small: string; large: string } {
  const dir = join(thumbsDir, hash.slice(0, 2));
  return { small: join(dir, `${hash}_s.webp`), large: join(dir, `${hash}_l.webp`) };
}

/**
 * Decodes the photo once (EXIF orientation applied, shrink-on-load), writes the large
 * preview and the small thumbnail from it, each atomically (temp file + rename) so a
 * crash never leaves half a WebP that the gallery would show as broken.
 * Throws sharp's error when the image cannot be decoded (truncated, corrupt, too big).
 */
export async function makeThumbnails(
  source: string,
  hash: string,
  thumbsDir: string,
  maxPixels: number,
): Promise<void> {
  const out = thumbFiles(thumbsDir, hash);
  const { data, info } = await sharp(source, { failOn: 'truncated', limitInputPixels: maxPixels })
    .rotate()
    .resize(THUMB_LARGE, THUMB_LARGE, { fit: 'inside', withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
  // Both encodes at once: they run on libuv's threads, so a new file is visible sooner.
  const [large, small] = await Promise.all([
    sharp(data, raw).webp({ quality: 82 }).toBuffer(),
    sharp(data, raw)
      .resize(THUMB_SMALL, THUMB_SMALL, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 78 })
      .toBuffer(),
  ]);
  await mkdir(join(thumbsDir, hash.slice(0, 2)), { recursive: true });
  await writeAtomically(out.large, large);
  await writeAtomically(out.small, small);
}

export async function removeThumbnails(thumbsDir: string, hash: string): Promise<void> {
  const out = thumbFiles(thumbsDir, hash);
  await rm(out.small, { force: true });
  await rm(out.large, { force: true });
}

async function writeAtomically(file: string, bytes: Buffer): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
