import type { ReactElement } from 'react';

/** Two overlapping frames: "looks like". Same 24px line style as components/icons. */
export function SimilarIcon(): ReactElement {
  return (
    <svg className="icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
      <path
        d="M3 7h11v11H3zM10 3h11v11h-4M6.5 14.5l2.5-3 2 2.5"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
