import { type RefObject, useLayoutEffect, useRef } from 'react';
import {
  captureAnchor,
  type GalleryLayout,
  type RowHeights,
  restoreAnchor,
  type ScrollAnchor,
} from './layout';

/**
 * Keeps the same photos in view when the layout changes (new photos arrive, the window is
 * resized, the tile size changes). Returns the scroll handler that remembers what is in view.
 * At the very top nothing is pinned, so new photos simply appear.
 */
export function useScrollAnchor(
  scrollRef: RefObject<HTMLElement | null>,
  layout: GalleryLayout,
  heights: RowHeights,
): () => void {
  const anchor = useRef<ScrollAnchor | null>(null);
  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element || !anchor.current) return;
    const top = restoreAnchor(layout, anchor.current, heights);
    if (top !== null && Math.abs(element.scrollTop - top) >= 1) element.scrollTop = top;
  }, [scrollRef, layout, heights]);
  return () => {
    const element = scrollRef.current;
    if (!element) return;
    anchor.current = element.scrollTop < 1 ? null : captureAnchor(layout, element.scrollTop, heights);
  };
}
