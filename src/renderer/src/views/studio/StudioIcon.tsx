import type { ReactElement } from 'react';
import { Icon } from '../../components/icons';

/** A comic page with a speech balloon, in the sidebar's line style. */
export function StudioIcon(): ReactElement {
  return (
    <Icon d="M4 4h16v16H4zM4 12h7M11 4v16M14.5 8.5h3.5a1 1 0 0 1 1 1v1.5a1 1 0 0 1-1 1h-2l-1.5 1.5v-1.5a1 1 0 0 1-1-1V9.5a1 1 0 0 1 1-1z" />
  );
}
