/** Panel rectangles in page pixels, and the edits the export dialog makes to them. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PageSize {
  width: number;
  height: number;
}

export type Edge = 'left' | 'right' | 'top' | 'bottom';

/** Smaller panels are almost surely a slip of the mouse. */
export const MIN_PANEL_SIDE = 16;

/** Whole pixels, inside the page, at least MIN_PANEL_SIDE on each side. */
export function clampRect(rect: Rect, page: PageSize): Rect {
  const min = Math.min(MIN_PANEL_SIDE, page.width, page.height);
  const x = Math.round(Math.max(0, Math.min(page.width - min, rect.x)));
  const y = Math.round(Math.max(0, Math.min(page.height - min, rect.y)));
  const width = Math.round(Math.max(min, Math.min(page.width - x, rect.width)));
  const height = Math.round(Math.max(min, Math.min(page.height - y, rect.height)));
  return { x, y, width, height };
}

/** Moves one edge to `value` (page pixels); the opposite edge stays where it is. */
export function moveEdge(rect: Rect, edge: Edge, value: number, page: PageSize): Rect {
  const right = rect.x + rect.width;
  const bottom = rect.y + rect.height;
  const min = Math.min(MIN_PANEL_SIDE, page.width, page.height);
  switch (edge) {
    case 'left': {
      const x = Math.max(0, Math.min(right - min, value));
      return clampRect({ ...rect, x, width: right - x }, page);
    }
    case 'right':
      return clampRect({ ...rect, width: Math.max(min, Math.min(page.width, value) - rect.x) }, page);
    case 'top': {
      const y = Math.max(0, Math.min(bottom - min, value));
      return clampRect({ ...rect, y, height: bottom - y }, page);
    }
    case 'bottom':
      return clampRect({ ...rect, height: Math.max(min, Math.min(page.height, value) - rect.y) }, page);
  }
}

/** One numeric field changed (x, y, width or height); the rest of the rectangle keeps its place. */
export function setField(rect: Rect, field: keyof Rect, value: number, page: PageSize): Rect {
  if (!Number.isFinite(value)) return rect;
  return clampRect({ ...rect, [field]: value }, page);
}

/** A pointer position over the drawn page (its box on screen) in page pixels. */
export function toPagePoint(
  client: { x: number; y: number },
  box: { left: number; top: number; width: number; height: number },
  page: PageSize,
): { x: number; y: number } {
  return {
    x: ((client.x - box.left) / box.width) * page.width,
    y: ((client.y - box.top) / box.height) * page.height,
  };
}

/** The coordinate an edge sits at, for dragging it. */
export function edgePosition(rect: Rect, edge: Edge): number {
  if (edge === 'left') return rect.x;
  if (edge === 'right') return rect.x + rect.width;
  if (edge === 'top') return rect.y;
  return rect.y + rect.height;
}

export function sameRects(a: readonly Rect[], b: readonly Rect[]): boolean {
  return (
    a.length === b.length &&
    a.every((r, i) => {
      const o = b[i]!;
      return r.x === o.x && r.y === o.y && r.width === o.width && r.height === o.height;
    })
  );
}
