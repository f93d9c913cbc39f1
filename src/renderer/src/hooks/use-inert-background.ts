import { useEffect } from 'react';

/**
 * While a modal (lightbox, confirmation) is open, the app behind it cannot be focused or
 * clicked: Tab stays in the modal and screen readers read only it. The modal itself must be
 * rendered outside #root (createPortal to document.body).
 */
export function useInertBackground(): void {
  useEffect(() => {
    const root = document.getElementById('root');
    if (!root) return;
    const previouslyFocused = document.activeElement as HTMLElement | null;
    root.inert = true;
    return () => {
      root.inert = false;
      previouslyFocused?.focus({ preventScroll: true });
    };
  }, []);
}
