import type { ReactElement } from 'react';

/** Two identical frames, one behind the other. Same 24px line style as components/icons. */
export function DuplicatesIcon(): ReactElement {
  return (
    <svg className="icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
      <path
        d="M8 8h12v12H8zM4 16V4h12"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
