import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp, { type Sharp } from 'sharp';

export const THUMB_SMALL = 320;
export const THUMB_LARGE = 1600;

export type PreviewFormat = 'jpeg' | 'webp';

/**
 * How previews are encoded. JPEG at these qualities matches the SSIM of the WebP q82/q78
 * (default effort) used before, in a seventeenth of the encode time for 20% more bytes
 * (decision 0026, `npm run bench -- previews`).
 */
export interface PreviewEncoding {
  format: PreviewFormat;
  large: EncodeOptions;
  small: EncodeOptions;
}

export interface EncodeOptions {
  quality: number;
  /** WebP only. */
  effort?: number;
  /**
   * JPEG only: a second pass that builds Huffman tables for this image (sharp's default, true).
   * The pixels are the same either way; only the bytes differ (decision 0066).
   */
  optimiseCoding?: boolean;
}

export const PREVIEW_ENCODING: PreviewEncoding = {
  format: 'jpeg',
  // Standard Huffman tables for the large preview: half its encode time for 5% more bytes on
  // real photos (decision 0066). The thumbnail keeps its own tables: it costs under a millisecond
  // and it is what the gallery streams.
  large: { quality: 73, optimiseCoding: false },
  small: { quality: 76 },
};

/** What ingest wrote before decision 0026; the first-index benchmark measures it as its baseline. */
export const WEBP_PREVIEWS: PreviewEncoding = {
  format: 'webp',
  large: { quality: 82 },
  small: { quality: 78 },
};

const EXTENSION: Record<PreviewFormat, string> = { jpeg: 'jpg', webp: 'webp' };

/** Media paths (served under `thumbs/`) for the gallery queries. */
export function thumbPaths(hash: string, format: PreviewFormat): { small: string; large: string } {
  const dir = `thumbs/${hash.slice(0, 2)}`;
  const ext = EXTENSION[format];
  return { small: `${dir}/${hash}_s.${ext}`, large: `${dir}/${hash}_l.${ext}` };
}

/** Where the thumbnails of `hash` live on disk. */
export function thumbFiles(
  thumbsDir: string,
  hash: string,
  format: PreviewFormat,
): { small: string; large: string } {
  const dir = join(thumbsDir, hash.slice(0, 2));
  const ext = EXTENSION[format];
  return { small: join(dir, `${hash}_s.${ext}`), large: join(dir, `${hash}_l.${ext}`) };
}

/** A photo decoded once: oriented, shrunk to the large preview's size, raw pixels. */
export interface DecodedPhoto {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

export interface ThumbnailOptions {
  encoding?: PreviewEncoding;
  /**
   * Hears the decoded pixels while the previews are encoded, so other work (the model's
   * input) is made from the same decode. Its promise is awaited with the encodes.
   */
  alsoFrom?: (pixels: DecodedPhoto) => Promise<void>;
}

/**
 * Decodes the photo once (EXIF orientation applied, shrink-on-load), writes the large
 * preview and the small thumbnail from it, each atomically (temp file + rename) so a
 * crash never leaves half a file that the gallery would show as broken. Returns the format.
 * Throws sharp's error when the image cannot be decoded (truncated, corrupt, too big).
 */
export async function makeThumbnails(
  source: string,
  hash: string,
  thumbsDir: string,
  maxPixels: number,
  opts: ThumbnailOptions = {},
): Promise<PreviewFormat> {
  const encoding = opts.encoding ?? PREVIEW_ENCODING;
  const out = thumbFiles(thumbsDir, hash, encoding.format);
  const { data, info } = await sharp(source, { failOn: 'truncated', limitInputPixels: maxPixels })
    .rotate()
    .resize(THUMB_LARGE, THUMB_LARGE, { fit: 'inside', withoutEnlargement: true })
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  const pixels: DecodedPhoto = {
    data,
    width: info.width,
    height: info.height,
    channels: info.channels as DecodedPhoto['channels'],
  };
  const raw = () => {
    const image = sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
    // JPEG has no alpha: transparent parts show on white, as most viewers show them.
    return encoding.format === 'jpeg' && info.channels % 2 === 0
      ? image.flatten({ background: '#ffffff' })
      : image;
  };
  // All at once: they run on libuv's threads, so a new file is visible sooner.
  const [large, small] = await Promise.all([
    encodePreview(raw(), encoding.format, encoding.large),
    encodePreview(
      raw().resize(THUMB_SMALL, THUMB_SMALL, { fit: 'inside', withoutEnlargement: true }),
      encoding.format,
      encoding.small,
    ),
    opts.alsoFrom?.(pixels),
  ]);
  await makeDir(join(thumbsDir, hash.slice(0, 2)));
  await writeAtomically(out.large, large);
  await writeAtomically(out.small, small);
  return encoding.format;
}

/** One preview encoded as ingest writes it (the benchmark's stage costs use it too). */
export function encodePreview(image: Sharp, format: PreviewFormat, o: EncodeOptions): Promise<Buffer> {
  return format === 'jpeg'
    ? image.jpeg({ quality: o.quality, optimiseCoding: o.optimiseCoding ?? true }).toBuffer()
    : image.webp({ quality: o.quality, ...(o.effort === undefined ? {} : { effort: o.effort }) }).toBuffer();
}

/** Removes the photo's previews in every format they may have been written in, but `keep`. */
export async function removeThumbnails(thumbsDir: string, hash: string, keep?: PreviewFormat): Promise<void> {
  for (const format of Object.keys(EXTENSION) as PreviewFormat[]) {
    if (format === keep) continue;
    const out = thumbFiles(thumbsDir, hash, format);
    await rm(out.small, { force: true });
    await rm(out.large, { force: true });
  }
}

/**
 * mkdir that reports why it failed: a recursive mkdir on a read-only file system says ENOENT
 * (a missing folder, for good) where the truth is EROFS (writable again later).
 */
async function makeDir(dir: string): Promise<void> {
  try {
    await mkdir(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'ENOENT') throw err;
    await mkdir(dir, { recursive: true });
  }
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
