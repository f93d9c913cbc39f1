import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { clampRect, detectPanels } from '../../src/main/core/studio/panels';
import { layoutGeometry, listLayouts, type PanelRect } from '../../src/main/core/studio/prompt';
import { drawPage } from './fake-openai';

const size = (s: string) => s.split('x').map(Number) as [number, number];

function expectClose(actual: PanelRect[], expected: PanelRect[], tolerance: number) {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i]!;
    expect(Math.abs(a.x - e.x)).toBeLessThanOrEqual(tolerance);
    expect(Math.abs(a.y - e.y)).toBeLessThanOrEqual(tolerance);
    expect(Math.abs(a.x + a.width - (e.x + e.width))).toBeLessThanOrEqual(tolerance);
    expect(Math.abs(a.y + a.height - (e.y + e.height))).toBeLessThanOrEqual(tolerance);
  });
}

describe('detectPanels', () => {
  for (const layout of listLayouts()) {
    it(`finds the ${layout.panels} panels of a clean "${layout.name}" page by their gutters, in reading order`, async () => {
      const [width, height] = size(layout.size);
      const page = await drawPage({
        width,
        height,
        rows: [...layout.rows],
        turn: 1,
        variant: 0,
        style: 'clean',
      });
      const found = await detectPanels(page, { layout });
      expect(found.method).toBe('gutters');
      expect([found.width, found.height]).toEqual([width, height]);
      // The drawn panels carry a 4 px border centred on their edge, and the page is scanned at half size.
      expectClose(found.rects, layoutGeometry(layout, width, height), 6);
    });
  }

  it('finds panels without being told the layout', async () => {
    const page = await drawPage({
      width: 1536,
      height: 1024,
      rows: [3, 3],
      turn: 0,
      variant: 2,
      style: 'clean',
    });
    const found = await detectPanels(page);
    expect(found.method).toBe('gutters');
    expect(found.rects).toHaveLength(6);
  });

  it('still finds gutters on a JPEG-compressed page', async () => {
    const png = await drawPage({
      width: 1024,
      height: 1536,
      rows: [2, 2, 2],
      turn: 3,
      variant: 0,
      style: 'clean',
    });
    const jpeg = await sharp(png).jpeg({ quality: 60 }).toBuffer();
    const found = await detectPanels(jpeg, { layout: { rows: [2, 2, 2], panels: 6 } });
    expect(found.method).toBe('gutters');
    expect(found.rects).toHaveLength(6);
  });

  it('falls back to the layout geometry when artwork crosses the gutters', async () => {
    const layout = listLayouts().find((l) => l.id === '4-grid')!;
    const page = await drawPage({
      width: 1024,
      height: 1024,
      rows: [2, 2],
      turn: 0,
      variant: 0,
      style: 'noisy',
    });
    const found = await detectPanels(page, { layout });
    expect(found.method).toBe('layout');
    expect(found.reason).toMatch(/4 were asked for/);
    expect(found.rects).toEqual(layoutGeometry(layout, 1024, 1024));
  });

  it('falls back to the layout geometry when panels touch with no gutters', async () => {
    const layout = listLayouts().find((l) => l.id === '3-strip')!;
    const page = await drawPage({
      width: 1536,
      height: 1024,
      rows: [3],
      turn: 0,
      variant: 0,
      style: 'no-gutters',
    });
    const found = await detectPanels(page, { layout });
    expect(found.method).toBe('layout');
    expect(found.rects).toEqual(layoutGeometry(layout, 1536, 1024));
  });

  it('a blank page has no panels: the whole page, or the layout, is offered', async () => {
    const blank = await sharp({ create: { width: 600, height: 400, channels: 3, background: '#ffffff' } })
      .png()
      .toBuffer();
    expect(await detectPanels(blank)).toMatchObject({
      method: 'layout',
      rects: [{ x: 0, y: 0, width: 600, height: 400 }],
    });
    const withLayout = await detectPanels(blank, { layout: { rows: [2], panels: 2 } });
    expect(withLayout.rects).toHaveLength(2);
  });

  it('clampRect keeps an adjusted rectangle on the page', () => {
    expect(clampRect({ x: -10, y: 5, width: 2000, height: 50.4 }, 1024, 1024)).toEqual({
      x: 0,
      y: 5,
      width: 1024,
      height: 50,
    });
    expect(clampRect({ x: 2000, y: 2000, width: 0, height: 0 }, 100, 100)).toEqual({
      x: 99,
      y: 99,
      width: 1,
      height: 1,
    });
  });
});
