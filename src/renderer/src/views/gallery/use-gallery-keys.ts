import { type RefObject, useEffect, useRef } from 'react';
import { isMakeComicKey } from '../studio/make-comic';
import { type FocusMove, type GalleryLayout, moveFocus } from './layout';

export interface GalleryKeyActions {
  enabled: boolean;
  rootRef: RefObject<HTMLElement | null>;
  layout: GalleryLayout;
  focus: number;
  rowsPerPage: number;
  moveFocusTo(index: number, extendSelection: boolean): void;
  open(index: number): void;
  selectAll(): void;
  clear(): void;
  toggleFocused(index: number): void;
  openMenu(index: number): void;
  /** S: "Find similar" for the selected or focused photo, "More like these" for several. */
  findSimilar?(): void;
  /** Ctrl+M (⌘⇧M on a Mac): "Make comic" from the selection. */
  makeComic?(): void;
}

const moves: Record<string, FocusMove> = {
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ArrowUp: 'up',
  ArrowDown: 'down',
  Home: 'home',
  End: 'end',
};

function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * Gallery keyboard: arrows/Home/End/PageUp/PageDown move focus (Shift extends the selection),
 * Enter/Space open the lightbox, Ctrl/Cmd+Space toggles, Ctrl/Cmd+A selects all, Escape
 * clears, the Menu key or Shift+F10 opens the context menu, S finds similar photos. Listens on
 * the window so keys work whether the grid or the page body has focus, but never while typing.
 */
export function useGalleryKeys(actions: GalleryKeyActions): void {
  const latest = useRef(actions);
  latest.current = actions;

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const a = latest.current;
      if (!a.enabled || event.defaultPrevented || event.altKey || isTextEntry(event.target)) return;
      const target = event.target as Node | null;
      const inGallery = target === document.body || (target !== null && a.rootRef.current?.contains(target));
      if (!inGallery) return;
      const command = event.ctrlKey || event.metaKey;
      const focus = a.focus;
      const move = moves[event.key];
      if (move || event.key === 'PageDown' || event.key === 'PageUp') {
        if (a.layout.total === 0) return;
        event.preventDefault();
        let next = Math.max(0, focus);
        if (move && focus >= 0) next = moveFocus(a.layout, focus, move);
        else if (!move) {
          const step = event.key === 'PageDown' ? 'down' : 'up';
          for (let i = 0; i < a.rowsPerPage; i++) next = moveFocus(a.layout, next, step);
        }
        a.moveFocusTo(next, event.shiftKey);
        return;
      }
      if (command && event.key.toLowerCase() === 'a') {
        event.preventDefault();
        a.selectAll();
        return;
      }
      if (a.makeComic && isMakeComicKey(event)) {
        event.preventDefault();
        a.makeComic();
        return;
      }
      if (event.key === 'Escape') {
        a.clear();
        return;
      }
      if (!command && !event.shiftKey && event.key.toLowerCase() === 's' && a.findSimilar) {
        event.preventDefault();
        a.findSimilar();
        return;
      }
      if (focus < 0) return;
      // Buttons inside the gallery (zoom, selection bar) keep their own Enter and Space.
      if (event.target instanceof HTMLButtonElement) return;
      if (event.key === ' ' && command) {
        event.preventDefault();
        a.toggleFocused(focus);
      } else if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        a.open(focus);
      } else if (event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) {
        event.preventDefault();
        a.openMenu(focus);
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
