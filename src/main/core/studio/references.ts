import sharp from 'sharp';
import type { PreparedReference } from './engine';
import { StudioError } from './errors';

export interface PrepareOptions {
  /** Long side in pixels after downscaling (never upscaled). Default 1536. */
  maxSide?: number;
  /** 'auto' keeps PNG for images with transparency, JPEG otherwise. */
  format?: 'auto' | 'jpeg' | 'png';
  jpegQuality?: number;
}

export const DEFAULT_REFERENCE_MAX_SIDE = 1536;

/**
 * Makes the copy of a photo that is sent to OpenAI: turned upright per its EXIF orientation,
 * downscaled, converted to sRGB and re-encoded. sharp writes no metadata unless asked to, so
 * EXIF (GPS, camera serial), ICC, XMP and IPTC stay on this machine. The original file is only
 * read.
 */
export async function prepareReference(
  filePath: string,
  opts: PrepareOptions = {},
): Promise<PreparedReference> {
  const maxSide = opts.maxSide ?? DEFAULT_REFERENCE_MAX_SIDE;
  try {
    const source = sharp(filePath, { failOn: 'none' });
    const meta = await source.metadata();
    const png = opts.format === 'png' || (opts.format !== 'jpeg' && meta.hasAlpha === true);
    const pipeline = source
      .clone()
      .rotate()
      .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb');
    const out = png
      ? pipeline.png({ compressionLevel: 8 })
      : pipeline.flatten({ background: '#ffffff' }).jpeg({ quality: opts.jpegQuality ?? 88, mozjpeg: true });
    const { data, info } = await out.toBuffer({ resolveWithObject: true });
    return { buffer: data, mime: png ? 'image/png' : 'image/jpeg', width: info.width, height: info.height };
  } catch (err) {
    const why =
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'it no longer exists' : 'it is not a readable image';
    throw new StudioError({
      kind: 'bad-reference',
      message: `Could not use ${filePath} as a reference: ${why}. Remove it from the comic or pick another photo.`,
      retryable: false,
      cause: err,
    });
  }
}

/** The multipart file name sent with a reference: never the user's own file name. */
export function referenceFileName(ref: PreparedReference, index: number): string {
  return `reference-${index + 1}.${ref.mime === 'image/png' ? 'png' : 'jpg'}`;
}

export function toDataUrl(ref: PreparedReference): string {
  return `data:${ref.mime};base64,${ref.buffer.toString('base64')}`;
}
