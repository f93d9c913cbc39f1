import type { Photo } from '../../../../shared/model';
import type { Navigate } from '../../navigation';
import { similarMenuItems } from '../similar/similar-menu';
import { makeComicMenuItem } from '../studio/make-comic';

/** What a photo's context-menu item can see and do. */
export interface PhotoMenuContext {
  photo: Photo;
  /** Gallery index of the photo (newest first). */
  index: number;
  /** How many photos are selected (the right-clicked one is always among them). */
  selectedCount: number;
  /** Ids of the selected photos in gallery order (loads pages if "all" is selected). */
  selectedIds(): Promise<number[]>;
  openLightbox(): void;
  select(): void;
  navigate: Navigate;
}

/**
 * Items of the photo context menu, in order. Later features add theirs here, e.g.
 * `{ id: 'similar', label: 'Find similar', run: (c) => c.navigate('similar', { photoId: c.photo.id }) }`.
 */
export interface PhotoMenuItem {
  id: string;
  label: string | ((context: PhotoMenuContext) => string);
  isVisible?(context: PhotoMenuContext): boolean;
  isEnabled?(context: PhotoMenuContext): boolean;
  run(context: PhotoMenuContext): void;
}

export const photoMenuItems: PhotoMenuItem[] = [
  { id: 'open', label: 'Open', run: (context) => context.openLightbox() },
  { id: 'select', label: 'Select', run: (context) => context.select() },
  ...similarMenuItems,
  makeComicMenuItem,
];

export function menuEntriesFor(items: readonly PhotoMenuItem[], context: PhotoMenuContext) {
  return items
    .filter((item) => item.isVisible?.(context) ?? true)
    .map((item) => ({
      id: item.id,
      label: typeof item.label === 'function' ? item.label(context) : item.label,
      disabled: !(item.isEnabled?.(context) ?? true),
      run: () => item.run(context),
    }));
}
