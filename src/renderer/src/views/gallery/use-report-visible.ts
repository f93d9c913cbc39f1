import { useEffect, useRef } from 'react';
import { api } from '../../api/client';
import type { PhotoPages } from './photo-pages';

/** How long the view must rest before it tells the core what is on screen. */
const REST_MS = 250;

/**
 * Tells the core which photos are on screen once scrolling rests (`photos:visible`), so their
 * thumbnails and vectors are made first: what the user looks at is searchable first. Sent once
 * per resting place, not on every frame.
 */
export function useReportVisible(
  pages: PhotoPages,
  firstIndex: number,
  lastIndex: number,
  scrolling: boolean,
): void {
  const lastSent = useRef('');
  useEffect(() => {
    if (scrolling || lastIndex < firstIndex) return;
    const timer = setTimeout(() => {
      const ids: number[] = [];
      for (let i = firstIndex; i <= lastIndex && ids.length < 2000; i++) {
        const photo = pages.get(i);
        if (photo) ids.push(photo.id);
      }
      const key = ids.join(',');
      if (ids.length === 0 || key === lastSent.current) return;
      lastSent.current = key;
      api['photos:visible']({ ids }).catch(() => {
        lastSent.current = ''; // try again at the next rest
      });
    }, REST_MS);
    return () => clearTimeout(timer);
  }, [pages, firstIndex, lastIndex, scrolling]);
}
