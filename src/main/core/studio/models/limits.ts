/**
 * What a model accepts as input images, checked before anything is sent: how many (the page
 * being refined counts), how large, which formats. Too many is refused with a message; too
 * large is re-encoded smaller; the format is always one the model takes (JPEG, or PNG for
 * transparency), since references are re-encoded anyway.
 */
import sharp from 'sharp';
import type { PreparedReference } from '../engine';
import { imageFamilyOf } from './catalog';

/** Why this many input images cannot be sent to `model`; null when they can (or the model is unknown). */
export function inputCountProblem(
  model: string | undefined,
  references: number,
  pages: number,
): string | null {
  const family = model ? imageFamilyOf(model) : undefined;
  if (!family || references + pages <= family.maxInputImages) return null;
  const room = family.maxInputImages - pages;
  const page = pages > 0 ? ` (the page being changed counts as one, so at most ${room} photos)` : '';
  return `${model} takes at most ${family.maxInputImages} images per request${page}; this comic includes ${references} reference photos. Exclude ${references - room} of them, then generate again.`;
}

/** The byte limit of one input image for `model`, if the catalog knows it. */
export function maxImageBytes(model: string | undefined): number | undefined {
  return model ? imageFamilyOf(model)?.maxImageBytes : undefined;
}

/**
 * A reference within `maxBytes`: re-encoded as JPEG at lower quality, then smaller, until it
 * fits. Transparency is flattened on white only when even PNG at the smallest size does not fit.
 */
export async function fitReferenceBytes(
  ref: PreparedReference,
  maxBytes: number | undefined,
): Promise<PreparedReference> {
  if (maxBytes === undefined || ref.buffer.length <= maxBytes) return ref;
  let width = ref.width;
  let height = ref.height;
  for (let step = 0; step < 12; step++) {
    const quality = Math.max(50, 85 - step * 5);
    const { data, info } = await sharp(ref.buffer)
      .resize({ width, height, fit: 'inside' })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
    if (data.length <= maxBytes)
      return { buffer: data, mime: 'image/jpeg', width: info.width, height: info.height };
    width = Math.max(64, Math.round(width * 0.8));
    height = Math.max(64, Math.round(height * 0.8));
  }
  throw new Error(`A reference photo could not be made smaller than ${Math.round(maxBytes / 1024)} KB.`);
}
