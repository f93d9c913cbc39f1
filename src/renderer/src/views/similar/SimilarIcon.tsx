import type { ReactElement } from 'react';
import { Icon } from '../../components/icons';

/** Two overlapping frames: "looks like". Same 24px line style as components/icons. */
export function SimilarIcon(): ReactElement {
  return <Icon d="M3 7h11v11H3zM10 3h11v11h-4M6.5 14.5l2.5-3 2 2.5" />;
}
