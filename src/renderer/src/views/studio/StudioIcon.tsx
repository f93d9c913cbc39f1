import type { ReactElement } from 'react';

/** A comic page with a speech balloon, in the sidebar's line style. */
export function StudioIcon(): ReactElement {
  return (
    <svg className="icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
      <path
        d="M4 4h16v16H4zM4 12h7M11 4v16M14.5 8.5h3.5a1 1 0 0 1 1 1v1.5a1 1 0 0 1-1 1h-2l-1.5 1.5v-1.5a1 1 0 0 1-1-1V9.5a1 1 0 0 1 1-1z"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
