import { limits } from '../../../../shared/limits';
import type { PhotoMenuItem } from '../gallery/photo-menu';

/** The contract takes at most this many query photos for "More like these". */
export const MAX_QUERY_PHOTOS = limits.similarFromPhotos;

/** Query ids for "More like these": the selection in gallery order, capped for the core. */
export function moreLikeTheseIds(selectedIds: readonly number[]): number[] {
  return [...new Set(selectedIds)].slice(0, MAX_QUERY_PHOTOS);
}

/**
 * Gallery context-menu items. "Find similar" searches from the right-clicked photo; with
 * several photos selected "More like these" searches from all of them. S does the same from
 * the keyboard (use-gallery-keys), so the labels say it.
 */
export const similarMenuItems: PhotoMenuItem[] = [
  {
    id: 'find-similar',
    label: (c) => (c.selectedCount > 1 ? 'Find similar to this one' : 'Find similar (S)'),
    run: (c) => c.navigate('similar', { photoIds: [c.photo.id] }),
  },
  {
    id: 'more-like-these',
    label: (c) => `More like these ${c.selectedCount} (S)`,
    isVisible: (c) => c.selectedCount > 1,
    run: (c) => {
      void c.selectedIds().then((ids) => c.navigate('similar', { photoIds: moreLikeTheseIds(ids) }));
    },
  },
];
