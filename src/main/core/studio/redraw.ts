/**
 * Redrawing one panel: the model gets the page with a mask that is transparent over the panel
 * only, and whatever it draws, only the panel's pixels are taken from it. Everything outside
 * the panel is the parent page's own pixels, exactly: models repaint more than they are asked.
 */
import sharp from 'sharp';
import type { PageRect } from '../../../shared/model';
import { clampRect } from './panels';

/** A PNG the size of the page: opaque black everywhere but the rectangle, which is fully transparent. */
export async function panelMask(width: number, height: number, rect: PageRect): Promise<Buffer> {
  const r = clampRect(rect, width, height);
  const rgba = Buffer.alloc(width * height * 4);
  for (let i = 3; i < rgba.length; i += 4) rgba[i] = 255;
  for (let y = r.y; y < r.y + r.height; y++) {
    for (let x = r.x; x < r.x + r.width; x++) rgba[(y * width + x) * 4 + 3] = 0;
  }
  return sharp(rgba, { raw: { width, height, channels: 4 } })
    .png()
    .toBuffer();
}

/**
 * The parent page with the rectangle taken from `drawn` (scaled to the page's size first if the
 * model answered another size). Outside the rectangle the result equals the parent, pixel for pixel.
 */
export async function compositePanel(parent: Buffer, drawn: Buffer, rect: PageRect): Promise<Buffer> {
  const meta = await sharp(parent).metadata();
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  const r = clampRect(rect, width, height);
  const drawnMeta = await sharp(drawn).metadata();
  const sameSize = drawnMeta.width === width && drawnMeta.height === height;
  const fitted = sameSize ? sharp(drawn) : sharp(drawn).resize({ width, height, fit: 'fill' });
  const panel = await fitted
    .extract({ left: r.x, top: r.y, width: r.width, height: r.height })
    .toColourspace('srgb')
    .png()
    .toBuffer();
  return sharp(parent)
    .composite([{ input: panel, left: r.x, top: r.y }])
    .png()
    .toBuffer();
}
