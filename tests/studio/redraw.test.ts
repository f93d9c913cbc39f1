// One panel redrawn: the mask marks exactly the panel, and the page keeps every other pixel.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { compositePanel, panelMask } from '../../src/main/core/studio/redraw';
import { drawPage } from './fake-openai';

const rect = { x: 31, y: 31, width: 465, height: 465 };

async function raw(png: Buffer) {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

const inside = (x: number, y: number, r: typeof rect) =>
  x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height;

describe('panel redraw', () => {
  it('makes a PNG mask the size of the page, transparent over the panel and opaque elsewhere', async () => {
    const mask = await panelMask(1024, 768, rect);
    const m = await raw(mask);
    expect([m.width, m.height]).toEqual([1024, 768]);
    expect((await sharp(mask).metadata()).format).toBe('png');
    for (let y = 0; y < m.height; y++) {
      for (let x = 0; x < m.width; x++) {
        const alpha = m.data[(y * m.width + x) * 4 + 3];
        if (alpha !== (inside(x, y, rect) ? 0 : 255)) throw new Error(`alpha ${alpha} at ${x},${y}`);
      }
    }
  });

  it('keeps every pixel outside the panel from the parent, whatever the model repainted', async () => {
    const parent = await drawPage({
      width: 1024,
      height: 1024,
      rows: [2, 2],
      turn: 0,
      variant: 0,
      style: 'clean',
    });
    const repainted = await drawPage({
      width: 1024,
      height: 1024,
      rows: [2, 2],
      turn: 5,
      variant: 0,
      style: 'noisy',
    });
    // The model may even answer another size: it is scaled to the page first.
    const smaller = await sharp(repainted).resize(512, 512).png().toBuffer();
    for (const drawn of [repainted, smaller]) {
      const out = await raw(await compositePanel(parent, drawn, rect));
      const before = await raw(parent);
      const model = await raw(await sharp(drawn).resize(1024, 1024, { fit: 'fill' }).png().toBuffer());
      let changedInside = 0;
      for (let y = 0; y < 1024; y++) {
        for (let x = 0; x < 1024; x++) {
          const i = (y * 1024 + x) * 4;
          const same = out.data.readUInt32BE(i) === before.data.readUInt32BE(i);
          if (!inside(x, y, rect) && !same) throw new Error(`pixel ${x},${y} outside the panel changed`);
          if (inside(x, y, rect) && !same) changedInside++;
          if (
            inside(x, y, rect) &&
            drawn === repainted &&
            out.data.readUInt32BE(i) !== model.data.readUInt32BE(i)
          ) {
            throw new Error(`pixel ${x},${y} inside the panel is not the model's`);
          }
        }
      }
      expect(changedInside).toBeGreaterThan(rect.width * rect.height * 0.5);
    }
  });
});
