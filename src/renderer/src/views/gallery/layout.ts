import type { TimelineMonth } from '../../../../shared/model';

/**
 * The gallery's whole scroll height, laid out up front from month counts alone: a header row
 * per month, then ceil(count / columns) rows of tiles. Photo i (in gallery order, newest
 * first) sits in a known row without any photo having been fetched, so the scrollbar is
 * honest from the first frame and any row can fetch exactly the page it needs.
 */
export interface MonthSection {
  /** 'YYYY-MM' or 'undated', as the core's timeline names it. */
  key: string;
  count: number;
  /** Gallery index of the section's first photo. */
  start: number;
  /** Row index of the section's header. */
  headerRow: number;
}

export type GridRow =
  | { kind: 'header'; section: number }
  | { kind: 'photos'; section: number; start: number; count: number };

export interface GalleryLayout {
  columns: number;
  total: number;
  sections: MonthSection[];
  rows: GridRow[];
}

export function buildLayout(months: readonly TimelineMonth[], columns: number): GalleryLayout {
  const cols = Math.max(1, Math.floor(columns));
  const sections: MonthSection[] = [];
  const rows: GridRow[] = [];
  let start = 0;
  for (const month of months) {
    if (month.count <= 0) continue;
    const section = sections.length;
    sections.push({ key: month.month, count: month.count, start, headerRow: rows.length });
    rows.push({ kind: 'header', section });
    for (let offset = 0; offset < month.count; offset += cols) {
      rows.push({
        kind: 'photos',
        section,
        start: start + offset,
        count: Math.min(cols, month.count - offset),
      });
    }
    start += month.count;
  }
  return { columns: cols, total: start, sections, rows };
}

/** How many tiles of at least `minTile` px fit in `width`, with `gap` px between them. */
export function columnsFor(width: number, minTile: number, gap: number): number {
  if (!(width > 0)) return 1;
  return Math.max(1, Math.floor((width + gap) / (minTile + gap)));
}

/** Section holding gallery index `index` (binary search over section starts). */
export function sectionOfIndex(layout: GalleryLayout, index: number): number {
  const { sections } = layout;
  let lo = 0;
  let hi = sections.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sections[mid]!.start <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Row that shows gallery index `index`; -1 when the layout is empty or index is out of range. */
export function rowOfIndex(layout: GalleryLayout, index: number): number {
  if (index < 0 || index >= layout.total) return -1;
  const section = layout.sections[sectionOfIndex(layout, index)]!;
  return section.headerRow + 1 + Math.floor((index - section.start) / layout.columns);
}

/** Section header rows: which month the row at the top of the viewport belongs to. */
export function sectionOfRow(layout: GalleryLayout, row: number): number {
  const r = layout.rows[Math.max(0, Math.min(row, layout.rows.length - 1))];
  return r ? r.section : 0;
}

export type FocusMove = 'left' | 'right' | 'up' | 'down' | 'home' | 'end';

/**
 * Keyboard focus in a month-grouped grid: left/right walk gallery order, up/down keep the
 * column and cross month boundaries (landing on the last tile of a shorter row).
 */
export function moveFocus(layout: GalleryLayout, index: number, move: FocusMove): number {
  const { total, columns: cols, sections } = layout;
  if (total === 0) return -1;
  const current = Math.max(0, Math.min(index, total - 1));
  switch (move) {
    case 'left':
      return Math.max(0, current - 1);
    case 'right':
      return Math.min(total - 1, current + 1);
    case 'home':
      return 0;
    case 'end':
      return total - 1;
    case 'down': {
      const s = sectionOfIndex(layout, current);
      const section = sections[s]!;
      const position = current - section.start;
      const row = Math.floor(position / cols);
      const col = position % cols;
      if ((row + 1) * cols < section.count)
        return section.start + Math.min((row + 1) * cols + col, section.count - 1);
      const next = sections[s + 1];
      return next ? next.start + Math.min(col, next.count - 1) : current;
    }
    case 'up': {
      const s = sectionOfIndex(layout, current);
      const section = sections[s]!;
      const position = current - section.start;
      const row = Math.floor(position / cols);
      const col = position % cols;
      if (row > 0) return section.start + (row - 1) * cols + col;
      const previous = sections[s - 1];
      if (!previous) return current;
      const lastRow = Math.floor((previous.count - 1) / cols);
      return previous.start + Math.min(lastRow * cols + col, previous.count - 1);
    }
  }
}

/** 'November 2026' for '2026-11' in the user's locale; 'Undated' for photos without a date. */
export function monthLabel(key: string, locale?: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(key);
  if (!match) return key === 'undated' ? 'Undated' : key;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, 1);
  return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric' }).format(date);
}

/** Pixel heights of the two kinds of rows (a photo row includes the gap below it). */
export interface RowHeights {
  header: number;
  photos: number;
}

/** Top of row `row` in px (row === rows.length gives the total height). Sizes are fixed, so O(1). */
export function rowTop(layout: GalleryLayout, row: number, heights: RowHeights): number {
  if (row <= 0) return 0;
  if (row >= layout.rows.length) {
    const headers = layout.sections.length;
    return headers * heights.header + (layout.rows.length - headers) * heights.photos;
  }
  const r = layout.rows[row]!;
  const headersBefore = r.kind === 'header' ? r.section : r.section + 1;
  return headersBefore * heights.header + (row - headersBefore) * heights.photos;
}

/** The row under vertical offset `y` (binary search; rowTop is increasing). */
export function rowAtOffset(layout: GalleryLayout, y: number, heights: RowHeights): number {
  let lo = 0;
  let hi = layout.rows.length - 1;
  if (hi < 0) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (rowTop(layout, mid, heights) <= y) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * What the user is looking at, in terms that survive a relayout: the month, the position in
 * that month of the first photo in the top row (-1: the month's header), and how far into
 * that row the viewport starts. New photos, a resized window or another tile size then keep
 * the same photos in view instead of jumping.
 */
export interface ScrollAnchor {
  key: string;
  position: number;
  delta: number;
}

export function captureAnchor(
  layout: GalleryLayout,
  scrollTop: number,
  heights: RowHeights,
): ScrollAnchor | null {
  const row = rowAtOffset(layout, scrollTop, heights);
  const r = layout.rows[row];
  if (!r) return null;
  const section = layout.sections[r.section]!;
  return {
    key: section.key,
    position: r.kind === 'header' ? -1 : r.start - section.start,
    delta: scrollTop - rowTop(layout, row, heights),
  };
}

/** The scrollTop that shows `anchor` in `layout`, or null when its month is gone. */
export function restoreAnchor(
  layout: GalleryLayout,
  anchor: ScrollAnchor,
  heights: RowHeights,
): number | null {
  const section = layout.sections.find((s) => s.key === anchor.key);
  if (!section) return null;
  const row =
    anchor.position < 0
      ? section.headerRow
      : rowOfIndex(layout, section.start + Math.min(anchor.position, section.count - 1));
  const height = anchor.position < 0 ? heights.header : heights.photos;
  return rowTop(layout, row, heights) + Math.min(Math.max(0, anchor.delta), height);
}
