import sharp from 'sharp';
import { layoutGeometry, type PanelLayout, type PanelRect } from './prompt';

export interface DetectOptions {
  /** The layout that was asked for: the fallback, and the panel count a detection must match. */
  layout?: Pick<PanelLayout, 'rows' | 'panels'>;
  /** How far (0-255 grey levels) a gutter pixel may be from the page background. Default 28. */
  tolerance?: number;
  /** Share of a line's pixels that must match the background for it to be gutter. Default 0.985. */
  gutterCoverage?: number;
  /** Analysis width in pixels; pages are scanned downscaled. Default 512. */
  analysisWidth?: number;
}

export interface PanelDetection {
  /** Panels in reading order (left to right, top to bottom), in page pixels. */
  rects: PanelRect[];
  /** 'gutters' when found on the page; 'layout' when the requested layout's geometry was used. */
  method: 'gutters' | 'layout';
  width: number;
  height: number;
  /** Why the fallback was used, for the panel editor to show. */
  reason?: string;
}

interface Gray {
  data: Uint8Array;
  width: number;
  height: number;
  background: number;
  tolerance: number;
  coverage: number;
}

/**
 * Finds panels by their gutters: lines (rows, then columns, recursively) whose pixels are
 * nearly all the page's background colour. Generated pages are not always clean, so when the
 * gutters do not give the number of panels asked for, the layout's own geometry is returned
 * instead; either way the user can adjust the rectangles.
 */
export async function detectPanels(page: Buffer, opts: DetectOptions = {}): Promise<PanelDetection> {
  const meta = await sharp(page).metadata();
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  const aw = Math.min(width, opts.analysisWidth ?? 512);
  const { data, info } = await sharp(page)
    .flatten({ background: '#ffffff' })
    .greyscale()
    .resize({ width: aw })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const gray: Gray = {
    data: new Uint8Array(data.buffer, data.byteOffset, data.length),
    width: info.width,
    height: info.height,
    background: borderMedian(data, info.width, info.height),
    tolerance: opts.tolerance ?? 28,
    coverage: opts.gutterCoverage ?? 0.985,
  };
  const found = split(gray, { x: 0, y: 0, width: info.width, height: info.height }, 0);
  const sx = width / info.width;
  const sy = height / info.height;
  const rects = found.map((r) => clampRect(scale(r, sx, sy), width, height));
  const fallback = (reason: string): PanelDetection => ({
    rects: opts.layout ? layoutGeometry(opts.layout, width, height) : [{ x: 0, y: 0, width, height }],
    method: 'layout',
    width,
    height,
    reason,
  });
  if (rects.length === 0) return fallback('No panels found on the page.');
  if (opts.layout && rects.length !== opts.layout.panels) {
    return fallback(
      `Found ${rects.length} panel(s) by their gutters, but ${opts.layout.panels} were asked for.`,
    );
  }
  return { rects, method: 'gutters', width, height };
}

/** Keeps a user-adjusted rectangle on the page and at least one pixel in size. */
export function clampRect(r: PanelRect, pageWidth: number, pageHeight: number): PanelRect {
  const x = Math.max(0, Math.min(pageWidth - 1, Math.round(r.x)));
  const y = Math.max(0, Math.min(pageHeight - 1, Math.round(r.y)));
  const width = Math.max(1, Math.min(pageWidth - x, Math.round(r.width)));
  const height = Math.max(1, Math.min(pageHeight - y, Math.round(r.height)));
  return { x, y, width, height };
}

function split(g: Gray, region: PanelRect, depth: number): PanelRect[] {
  const r = trim(g, region);
  if (!r || r.width < g.width * 0.05 || r.height < g.height * 0.05) return [];
  if (depth > 6) return [r];
  const minGutter = Math.max(2, Math.round(Math.min(g.width, g.height) * 0.006));
  for (const axis of ['rows', 'cols'] as const) {
    const bands = bandsBetweenGutters(g, r, axis, minGutter);
    if (bands.length > 1) return bands.flatMap((b) => split(g, b, depth + 1));
  }
  return [r];
}

/** Drops the margin: leading and trailing gutter lines of a region. */
function trim(g: Gray, r: PanelRect): PanelRect | null {
  let top = r.y;
  let bottom = r.y + r.height - 1;
  let left = r.x;
  let right = r.x + r.width - 1;
  while (top <= bottom && isGutterRow(g, top, left, right)) top++;
  while (bottom >= top && isGutterRow(g, bottom, left, right)) bottom--;
  while (left <= right && isGutterCol(g, left, top, bottom)) left++;
  while (right >= left && isGutterCol(g, right, top, bottom)) right--;
  if (top > bottom || left > right) return null;
  return { x: left, y: top, width: right - left + 1, height: bottom - top + 1 };
}

function bandsBetweenGutters(g: Gray, r: PanelRect, axis: 'rows' | 'cols', minGutter: number): PanelRect[] {
  const start = axis === 'rows' ? r.y : r.x;
  const end = axis === 'rows' ? r.y + r.height : r.x + r.width;
  const isGutter = (i: number) =>
    axis === 'rows' ? isGutterRow(g, i, r.x, r.x + r.width - 1) : isGutterCol(g, i, r.y, r.y + r.height - 1);
  const bands: Array<[number, number]> = [];
  let bandStart = start;
  let run = 0;
  for (let i = start; i < end; i++) {
    if (isGutter(i)) {
      run++;
      continue;
    }
    if (run >= minGutter && i - run > bandStart) {
      bands.push([bandStart, i - run]);
      bandStart = i;
    } else if (run >= minGutter) {
      bandStart = i;
    }
    run = 0;
  }
  bands.push([bandStart, end - run]);
  return bands
    .filter(([a, b]) => b > a)
    .map(([a, b]) =>
      axis === 'rows'
        ? { x: r.x, y: a, width: r.width, height: b - a }
        : { x: a, y: r.y, width: b - a, height: r.height },
    );
}

function isGutterRow(g: Gray, y: number, x0: number, x1: number): boolean {
  const row = y * g.width;
  let off = 0;
  const allowed = (x1 - x0 + 1) * (1 - g.coverage);
  for (let x = x0; x <= x1; x++) {
    if (Math.abs(g.data[row + x]! - g.background) > g.tolerance && ++off > allowed) return false;
  }
  return true;
}

function isGutterCol(g: Gray, x: number, y0: number, y1: number): boolean {
  let off = 0;
  const allowed = (y1 - y0 + 1) * (1 - g.coverage);
  for (let y = y0; y <= y1; y++) {
    if (Math.abs(g.data[y * g.width + x]! - g.background) > g.tolerance && ++off > allowed) return false;
  }
  return true;
}

/** The page background is whatever colour dominates its outermost pixels (white, usually). */
function borderMedian(data: Buffer, w: number, h: number): number {
  const hist = new Uint32Array(256);
  for (let x = 0; x < w; x++) {
    hist[data[x]!]!++;
    hist[data[(h - 1) * w + x]!]!++;
  }
  for (let y = 0; y < h; y++) {
    hist[data[y * w]!]!++;
    hist[data[y * w + w - 1]!]!++;
  }
  const half = (2 * w + 2 * h) / 2;
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += hist[v]!;
    if (seen >= half) return v;
  }
  return 255;
}

function scale(r: PanelRect, sx: number, sy: number): PanelRect {
  const x = Math.floor(r.x * sx);
  const y = Math.floor(r.y * sy);
  return { x, y, width: Math.ceil((r.x + r.width) * sx) - x, height: Math.ceil((r.y + r.height) * sy) - y };
}
