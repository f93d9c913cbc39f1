import type { VirtualItem } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { GalleryLayout } from './layout';
import type { PhotoPages } from './photo-pages';

/**
 * Fetches the pages for the rows in view (half a page behind, a page ahead) at most every
 * 100 ms: smooth scrolling gets its rows as it goes, and dragging the scrollbar across 50,000
 * photos does not request every page it passes. `generation` changes after the library
 * changed, which refetches the stale pages in view.
 */
export function usePagesInView(
  pages: PhotoPages,
  layout: GalleryLayout,
  items: VirtualItem[],
  generation: number,
): void {
  let firstIndex = Number.POSITIVE_INFINITY;
  let lastIndex = -1;
  for (const item of items) {
    const row = layout.rows[item.index];
    if (row?.kind !== 'photos') continue;
    firstIndex = Math.min(firstIndex, row.start);
    lastIndex = Math.max(lastIndex, row.start + row.count - 1);
  }
  const total = layout.total;
  const lastFetch = useRef(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: generation refetches stale pages after a change.
  useEffect(() => {
    if (lastIndex < 0) return;
    const fetchInView = () => {
      lastFetch.current = performance.now();
      void pages.ensure(firstIndex - pages.pageSize / 2, Math.min(total - 1, lastIndex + pages.pageSize));
    };
    const wait = 100 - (performance.now() - lastFetch.current);
    if (wait <= 0) {
      fetchInView();
      return;
    }
    const timer = setTimeout(fetchInView, wait);
    return () => clearTimeout(timer);
  }, [pages, firstIndex, lastIndex, total, generation]);
}
