import { type ReactElement, useEffect, useMemo, useState } from 'react';
import type { Photo, PhotoPage } from '../../../../shared/model';
import { Lightbox } from '../gallery/Lightbox';
import { PhotoPages } from '../gallery/photo-pages';

/** Pages of an in-memory list; one page holds it all (the lists here are at most 1,000). */
function listPages(photos: readonly Photo[]): PhotoPages {
  return new PhotoPages(
    async (offset, limit): Promise<PhotoPage> => ({
      total: photos.length,
      offset,
      items: photos.slice(offset, offset + limit),
    }),
    Math.max(1, photos.length),
  );
}

/**
 * The gallery's Lightbox over a list of photos (similar hits, a duplicate group). The list can
 * change while it is open (a reconnect, indexing): the new pages load at once and the view
 * re-renders when they arrive, so it never waits on an empty page.
 */
export function PhotoListLightbox({
  photos,
  index,
  onIndexChange,
  onClose,
}: {
  photos: readonly Photo[];
  index: number;
  onIndexChange(index: number): void;
  onClose(): void;
}): ReactElement | null {
  const pages = useMemo(() => listPages(photos), [photos]);
  const [, setVersion] = useState(0);
  const [ready, setReady] = useState<PhotoPages | null>(null);
  useEffect(() => {
    const stop = pages.subscribe(() => setVersion((v) => v + 1));
    let current = true;
    void pages.ensure(0, photos.length - 1).then(() => {
      if (current) setReady(pages);
    });
    return () => {
      current = false;
      stop();
    };
  }, [pages, photos.length]);

  useEffect(() => {
    if (photos.length === 0) onClose();
    else if (index >= photos.length) onIndexChange(photos.length - 1);
  }, [photos.length, index, onClose, onIndexChange]);

  // The first render waits for the one page (a microtask) so the Lightbox opens on its photo.
  if (ready === null || photos.length === 0) return null;
  return (
    <Lightbox
      pages={pages}
      total={photos.length}
      index={Math.min(index, photos.length - 1)}
      onIndexChange={onIndexChange}
      onClose={onClose}
    />
  );
}
