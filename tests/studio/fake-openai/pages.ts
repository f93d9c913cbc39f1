/** The pages the fake "draws": real PNGs with panels and white gutters, made with sharp. */
import sharp from 'sharp';

export interface PageSpec {
  width: number;
  height: number;
  rows: number[];
  turn: number;
  variant: number;
  style: 'clean' | 'noisy' | 'no-gutters';
}

/** Reads "3 panels in row 1, 1 panel in row 2" back out of the prompt, as a model would. */
export function rowsFromPrompt(prompt: string): number[] | undefined {
  const rows: number[] = [];
  for (const m of prompt.matchAll(/(\d+) panels? in row (\d+)/g)) rows[Number(m[2]) - 1] = Number(m[1]);
  return rows.length && rows.every((r) => r > 0) ? rows : undefined;
}

export function parseSize(size: string): [number, number] {
  const m = /^(\d+)x(\d+)$/.exec(size);
  return m ? [Number(m[1]), Number(m[2])] : [1024, 1024];
}

/** Same page geometry the app uses (margin and gutter 3% of the short side), drawn as SVG. */
export async function drawPage(spec: PageSpec): Promise<Buffer> {
  const { width, height, rows, turn, variant, style } = spec;
  const unit = Math.min(width, height);
  const margin = style === 'no-gutters' ? 0 : Math.round(unit * 0.03);
  const gutter = style === 'no-gutters' ? 0 : Math.round(unit * 0.03);
  const rowH = (height - 2 * margin - (rows.length - 1) * gutter) / rows.length;
  const shapes: string[] = [];
  let panel = 0;
  rows.forEach((cols, r) => {
    const colW = (width - 2 * margin - (cols - 1) * gutter) / cols;
    for (let c = 0; c < cols; c++, panel++) {
      const x = margin + c * (colW + gutter);
      const y = margin + r * (rowH + gutter);
      const hue = (turn * 97 + variant * 41 + panel * 29) % 360;
      shapes.push(
        `<rect x="${x}" y="${y}" width="${colW}" height="${rowH}" fill="hsl(${hue},55%,62%)" stroke="#111" stroke-width="4"/>`,
        `<circle cx="${x + colW * 0.35}" cy="${y + rowH * 0.45}" r="${Math.min(colW, rowH) * 0.18}" fill="hsl(${(hue + 180) % 360},60%,40%)"/>`,
        `<rect x="${x + colW * 0.55}" y="${y + rowH * 0.55}" width="${colW * 0.3}" height="${rowH * 0.3}" fill="hsl(${(hue + 90) % 360},50%,30%)"/>`,
        `<ellipse cx="${x + colW * 0.7}" cy="${y + rowH * 0.2}" rx="${colW * 0.2}" ry="${rowH * 0.08}" fill="#fff" stroke="#111" stroke-width="3"/>`,
      );
    }
  });
  if (style === 'noisy') {
    // Artwork bleeding across every gutter, as models sometimes draw.
    const stroke = `stroke="#333" stroke-width="${unit * 0.02}"`;
    shapes.push(`<line x1="0" y1="0" x2="${width}" y2="${height}" ${stroke}/>`);
    shapes.push(`<line x1="${width}" y1="0" x2="0" y2="${height}" ${stroke}/>`);
    shapes.push(`<rect x="${width * 0.3}" y="0" width="${width * 0.05}" height="${height}" fill="#c44"/>`);
    shapes.push(`<rect x="0" y="${height * 0.4}" width="${width}" height="${height * 0.05}" fill="#4c4"/>`);
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#fff"/>${shapes.join('')}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** A blurred, smaller copy of the page: what a partial image looks like while drawing. */
export async function partialOf(page: Buffer, width: number, step: number): Promise<Buffer> {
  return sharp(page)
    .resize({ width: Math.round(width / (4 - Math.min(step, 2))) })
    .blur(3)
    .png()
    .toBuffer();
}

/** Problems with an inpainting mask, as the service would name them; null when it is usable. */
export async function maskProblem(mask: Buffer, firstImage: Buffer | undefined): Promise<string | null> {
  const m = await sharp(mask)
    .metadata()
    .catch(() => null);
  if (m?.format !== 'png') return 'The mask must be a PNG image.';
  if (!m.hasAlpha) return 'The mask must have an alpha channel: its transparent area is what gets edited.';
  if (firstImage) {
    const i = await sharp(firstImage).metadata();
    if (i.width !== m.width || i.height !== m.height) {
      return `The mask (${m.width}x${m.height}) must have the same dimensions as the image (${i.width}x${i.height}).`;
    }
  }
  const alpha = await sharp(mask).extractChannel(3).raw().toBuffer();
  if (!alpha.includes(0)) return 'The mask has no fully transparent area, so there is nothing to edit.';
  return null;
}
