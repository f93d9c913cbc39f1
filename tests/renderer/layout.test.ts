import { describe, expect, it } from 'vitest';
import {
  buildLayout,
  captureAnchor,
  columnsFor,
  monthLabel,
  moveFocus,
  restoreAnchor,
  rowAtOffset,
  rowOfIndex,
  rowTop,
  sectionOfIndex,
} from '../../src/renderer/src/views/gallery/layout';

const months = [
  { month: '2026-11', count: 5 },
  { month: '2026-10', count: 0 },
  { month: '2026-09', count: 2 },
  { month: 'undated', count: 4 },
];

describe('gallery layout', () => {
  it('lays out a header and ceil(count/columns) rows per month, skipping empty months', () => {
    const layout = buildLayout(months, 3);
    expect(layout.total).toBe(11);
    expect(layout.sections.map((s) => [s.key, s.start, s.headerRow])).toEqual([
      ['2026-11', 0, 0],
      ['2026-09', 5, 3],
      ['undated', 7, 5],
    ]);
    expect(layout.rows).toEqual([
      { kind: 'header', section: 0 },
      { kind: 'photos', section: 0, start: 0, count: 3 },
      { kind: 'photos', section: 0, start: 3, count: 2 },
      { kind: 'header', section: 1 },
      { kind: 'photos', section: 1, start: 5, count: 2 },
      { kind: 'header', section: 2 },
      { kind: 'photos', section: 2, start: 7, count: 3 },
      { kind: 'photos', section: 2, start: 10, count: 1 },
    ]);
  });

  it('finds the row and month of any gallery index, also for 100,000 photos', () => {
    const layout = buildLayout(months, 3);
    expect([0, 4, 5, 6, 7, 10].map((i) => rowOfIndex(layout, i))).toEqual([1, 2, 4, 4, 6, 7]);
    expect(rowOfIndex(layout, 11)).toBe(-1);
    const big = buildLayout(
      Array.from({ length: 120 }, (_, i) => ({ month: `m${i}`, count: i === 0 ? 40 : 833 })),
      7,
    );
    expect(big.total).toBe(40 + 119 * 833);
    for (const index of [0, 39, 40, 41, 50_000, big.total - 1]) {
      const row = big.rows[rowOfIndex(big, index)]!;
      expect(row.kind).toBe('photos');
      if (row.kind === 'photos') {
        expect(index).toBeGreaterThanOrEqual(row.start);
        expect(index).toBeLessThan(row.start + row.count);
        expect(big.sections[sectionOfIndex(big, index)]!.key).toBe(big.sections[row.section]!.key);
      }
    }
  });

  it('moves keyboard focus by column and across month boundaries', () => {
    const layout = buildLayout(months, 3);
    expect(moveFocus(layout, 0, 'left')).toBe(0);
    expect(moveFocus(layout, 4, 'right')).toBe(5);
    expect(moveFocus(layout, 1, 'down')).toBe(4);
    // Column 2 of the first row: the next row is shorter, land on its last tile.
    expect(moveFocus(layout, 2, 'down')).toBe(4);
    // From the last row of a month into the next month, same column.
    expect(moveFocus(layout, 4, 'down')).toBe(6);
    expect(moveFocus(layout, 3, 'down')).toBe(5);
    // Up from the first row of a month to the last row of the previous one.
    expect(moveFocus(layout, 8, 'up')).toBe(6);
    expect(moveFocus(layout, 5, 'up')).toBe(3);
    expect(moveFocus(layout, 6, 'up')).toBe(4);
    expect(moveFocus(layout, 10, 'down')).toBe(10);
    expect(moveFocus(layout, 1, 'up')).toBe(1);
    expect(moveFocus(layout, 5, 'home')).toBe(0);
    expect(moveFocus(layout, 5, 'end')).toBe(10);
    expect(moveFocus(buildLayout([], 3), 0, 'down')).toBe(-1);
  });

  it('fits columns to the width and names months', () => {
    expect(columnsFor(0, 160, 4)).toBe(1);
    expect(columnsFor(159, 160, 4)).toBe(1);
    expect(columnsFor(324, 160, 4)).toBe(2);
    expect(columnsFor(1000, 160, 4)).toBe(6);
    expect(monthLabel('2026-11', 'en-US')).toBe('November 2026');
    expect(monthLabel('undated')).toBe('Undated');
  });

  it('computes row offsets and keeps the same photos in view across a relayout', () => {
    const heights = { header: 40, photos: 100 };
    const layout = buildLayout(months, 3);
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map((r) => rowTop(layout, r, heights))).toEqual([
      0, 40, 140, 240, 280, 380, 420, 520, 620,
    ]);
    expect(rowAtOffset(layout, 0, heights)).toBe(0);
    expect(rowAtOffset(layout, 239, heights)).toBe(2);
    expect(rowAtOffset(layout, 240, heights)).toBe(3);
    expect(rowAtOffset(layout, 10_000, heights)).toBe(7);
    // Looking at the last row (undated photo 10, position 3 in its month), 30 px into it.
    const anchor = captureAnchor(layout, 550, heights)!;
    expect(anchor).toEqual({ key: 'undated', position: 3, delta: 30 });
    // Ten new photos arrive in November and the window is narrowed to 2 columns.
    const after = buildLayout([{ month: '2026-11', count: 15 }, ...months.slice(1)], 2);
    const top = restoreAnchor(after, anchor, heights)!;
    const row = rowAtOffset(after, top, heights);
    const r = after.rows[row]!;
    expect(r.kind === 'photos' && after.sections[r.section]!.key).toBe('undated');
    expect(r.kind === 'photos' && r.start - after.sections[r.section]!.start).toBe(2);
    expect(top - rowTop(after, row, heights)).toBe(30);
    expect(restoreAnchor(after, { key: '1999-01', position: 0, delta: 0 }, heights)).toBeNull();
  });
});
