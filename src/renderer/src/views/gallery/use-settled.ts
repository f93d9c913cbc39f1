import { useEffect, useState } from 'react';

/**
 * True once the component has stayed mounted for `ms`. While the gallery scrolls, a row asks
 * for its thumbnails only then (or when the scrolling stops): rows that fly past in a fast
 * scroll or a scrollbar drag never request theirs, so the browser's few connections per host
 * serve the rows the user stops on, not a queue of hundreds of images already gone
 * (decision 0028).
 */
export function useSettled(ms: number): boolean {
  const [settled, setSettled] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(true), ms);
    return () => clearTimeout(timer);
  }, [ms]);
  return settled;
}
