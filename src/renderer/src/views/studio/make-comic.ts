import { limits } from '../../../../shared/limits';
import type { PhotoMenuItem } from '../gallery/photo-menu';

/** What one comic can take as references (the contract's `studio:create` limit). */
export const MAX_COMIC_PHOTOS = limits.comicPhotos;

/**
 * "Ctrl+M", or "⌘⇧M" on a Mac, where ⌘M belongs to the system (Minimize in the Window menu,
 * handled before the page sees it).
 */
export function makeComicShortcut(platform = globalThis.navigator?.platform ?? ''): string {
  return /mac/i.test(platform) ? '⌘⇧M' : 'Ctrl+M';
}

/** Ctrl+M, or Cmd+Shift+M: "Make comic" from the gallery selection. */
export function isMakeComicKey(event: {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}): boolean {
  if (event.altKey || event.key.toLowerCase() !== 'm') return false;
  return (
    (event.ctrlKey && !event.metaKey && !event.shiftKey) ||
    (event.metaKey && event.shiftKey && !event.ctrlKey)
  );
}

/** Why "Make comic" cannot run for this many selected photos, or null when it can. */
export function makeComicBlocked(selectedCount: number): string | null {
  if (selectedCount < 1) return 'Select the photos the comic should be drawn from.';
  if (selectedCount > MAX_COMIC_PHOTOS) {
    return `A comic takes at most ${MAX_COMIC_PHOTOS} photos; ${selectedCount} are selected. Select fewer.`;
  }
  return null;
}

export function makeComicLabel(selectedCount: number, shortcut = makeComicShortcut()): string {
  if (selectedCount > MAX_COMIC_PHOTOS) return `Make comic (at most ${MAX_COMIC_PHOTOS} photos)`;
  const what = selectedCount === 1 ? 'this photo' : `${selectedCount} photos`;
  return `Make comic from ${what} (${shortcut})`;
}

/**
 * The Studio view creates the session: the gallery only hands over the ids, so the photo
 * menu, the selection bar and the shortcut share one path (and its error display).
 */
export const makeComicMenuItem: PhotoMenuItem = {
  id: 'make-comic',
  label: (context) => makeComicLabel(context.selectedCount),
  isEnabled: (context) => makeComicBlocked(context.selectedCount) === null,
  run: (context) => {
    void context.selectedIds().then((ids) => context.navigate('studio', { create: ids }));
  },
};
