import { describe, expect, it } from 'vitest';
import {
  BUILT_IN_STYLES,
  buildComicPrompt,
  getLayout,
  layoutGeometry,
  listLayouts,
  type StylePreset,
} from '../../src/main/core/studio/prompt';
import { rowsFromPrompt } from './fake-openai';

describe('layouts', () => {
  it('offers 1, 2, 3, 4 and 6 panels, as strips and grids', () => {
    const ids = listLayouts().map((l) => `${l.panels}-${l.arrangement}`);
    for (const n of [2, 3, 4, 6]) {
      expect(ids).toContain(`${n}-strip`);
      expect(ids).toContain(`${n}-grid`);
    }
    expect(getLayout(1, 'strip').panels).toBe(1);
    for (const l of listLayouts()) expect(l.rows.reduce((a, b) => a + b, 0)).toBe(l.panels);
    expect(getLayout(4, 'strip').rows).toEqual([4]);
    expect(() => getLayout(5 as 4)).toThrow(/choose 1, 2, 3, 4 or 6/);
  });

  it('places panels inside the margins, separated by gutters, without overlap', () => {
    for (const l of listLayouts()) {
      const [w, h] = l.size.split('x').map(Number) as [number, number];
      const rects = layoutGeometry(l, w, h);
      expect(rects).toHaveLength(l.panels);
      const margin = Math.round(Math.min(w, h) * 0.03);
      for (const r of rects) {
        expect(r.x).toBeGreaterThanOrEqual(margin);
        expect(r.y).toBeGreaterThanOrEqual(margin);
        expect(r.x + r.width).toBeLessThanOrEqual(w - margin);
        expect(r.y + r.height).toBeLessThanOrEqual(h - margin);
      }
      for (const [i, a] of rects.entries()) {
        for (const b of rects.slice(i + 1)) {
          const apart =
            a.x + a.width < b.x || b.x + b.width < a.x || a.y + a.height < b.y || b.y + b.height < a.y;
          expect(apart).toBe(true);
        }
      }
    }
  });
});

describe('buildComicPrompt', () => {
  it('puts the user prompt, the style, the layout and the white-gutter rule together', () => {
    const style = BUILT_IN_STYLES.find((s) => s.id === 'manga')!;
    const layout = getLayout(6, 'grid');
    const text = buildComicPrompt({ userPrompt: '  A cat steals lunch ', style, layout, referenceCount: 3 });
    expect(text).toContain('Story: A cat steals lunch');
    expect(text).toContain(style.prompt);
    expect(text).toContain('the 3 attached photos');
    expect(text).toContain('Arrange exactly 6 panels in 3 rows');
    expect(text).toMatch(/white gutters/);
    expect(rowsFromPrompt(text)).toEqual([2, 2, 2]);
  });

  it('describes a refinement as a change to keep the rest', () => {
    const text = buildComicPrompt({
      userPrompt: 'make it night',
      layout: getLayout(1),
      referenceCount: 2,
      refinement: true,
    });
    expect(text).toMatch(/^Revise the previous comic page\. Change: make it night/);
    expect(text).not.toContain('attached photos');
    expect(text).toContain('One panel');
  });

  it('takes user presets as plain data', () => {
    const mine: StylePreset = { id: 'u1', name: 'Pixel art', prompt: '16-bit pixel art.', builtIn: false };
    expect(
      buildComicPrompt({ userPrompt: 'x', style: mine, layout: getLayout(2, 'strip'), referenceCount: 0 }),
    ).toContain('Style: 16-bit pixel art.');
    expect(BUILT_IN_STYLES.map((s) => s.id)).toEqual([
      'watercolour',
      'manga',
      'newspaper-strip',
      'childrens-book',
    ]);
  });
});
