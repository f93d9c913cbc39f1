import type { ReactElement } from 'react';
import { ActivityIcon, GalleryIcon, SettingsIcon } from '../components/icons';
import type { ViewId } from '../navigation';
import { ActivityView } from './activity/ActivityView';
import { DuplicatesIcon } from './duplicates/DuplicatesIcon';
import { DuplicatesView } from './duplicates/DuplicatesView';
import { GalleryView } from './gallery/GalleryView';
import { SettingsView } from './settings/SettingsView';
import { SimilarIcon } from './similar/SimilarIcon';
import { SimilarView } from './similar/SimilarView';
import { StudioIcon } from './studio/StudioIcon';
import { StudioView } from './studio/StudioView';

/**
 * The views in the sidebar, in order. Adding a view (Similar, Studio) is one entry here:
 * an id (also the URL hash and the `nav-<id>` test id; its parameters are declared in
 * navigation.ts), a label, an icon and the component.
 */
export interface ViewEntry {
  id: ViewId;
  label: string;
  icon: () => ReactElement;
  component: (props: { active: boolean }) => ReactElement;
  /** Stay mounted while hidden, keeping scroll position and loaded pages (the gallery). */
  keepAlive?: boolean;
}

export const views: ViewEntry[] = [
  { id: 'gallery', label: 'Gallery', icon: GalleryIcon, component: GalleryView, keepAlive: true },
  { id: 'similar', label: 'Similar', icon: SimilarIcon, component: SimilarView },
  { id: 'duplicates', label: 'Duplicates', icon: DuplicatesIcon, component: DuplicatesView },
  { id: 'studio', label: 'Studio', icon: StudioIcon, component: StudioView },
  { id: 'activity', label: 'Activity', icon: ActivityIcon, component: ActivityView },
  { id: 'settings', label: 'Settings', icon: SettingsIcon, component: SettingsView },
];

export const defaultViewId: ViewId = 'gallery';

export function findView(id: string): ViewEntry | undefined {
  return views.find((view) => view.id === id);
}
