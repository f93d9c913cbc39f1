import type { ReactElement } from 'react';
import { Icon } from '../../components/icons';

/** Two identical frames, one behind the other. Same 24px line style as components/icons. */
export function DuplicatesIcon(): ReactElement {
  return <Icon d="M8 8h12v12H8zM4 16V4h12" />;
}
