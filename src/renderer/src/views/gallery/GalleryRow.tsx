import type { VirtualItem } from '@tanstack/react-virtual';
import type { ReactElement } from 'react';
import { formatCount } from '../../format';
import { type GalleryLayout, monthLabel } from './layout';
import { PhotoTile } from './PhotoTile';
import type { PhotoPages } from './photo-pages';
import { isSelected, type Selection } from './selection';
import { useSettled } from './use-settled';

/** While scrolling goes on, how long a row stays in view before it asks for its thumbnails. */
const SETTLE_MS = 150;

/** One virtual row: a month header, or a row of tiles (loaded or still placeholders). */
export function GalleryRow({
  item,
  layout,
  pages,
  selection,
  focus,
  tileSize,
  gap,
  scrolling,
  inView,
}: {
  item: VirtualItem;
  layout: GalleryLayout;
  pages: PhotoPages;
  selection: Selection;
  focus: number;
  tileSize: number;
  gap: number;
  /** The view is scrolling: rows that fly past ask for no thumbnails (decision 0028). */
  scrolling: boolean;
  /** In the viewport (not one of the rows rendered ahead): its thumbnails are fetched first. */
  inView: boolean;
}): ReactElement | null {
  const settled = useSettled(SETTLE_MS);
  const row = layout.rows[item.index];
  if (!row) return null;
  const section = layout.sections[row.section]!;
  if (row.kind === 'header') {
    return (
      // biome-ignore lint/a11y: a row of the ARIA grid; focus stays on the grid (aria-activedescendant).
      <div
        role="row"
        className="gallery-row month-header"
        aria-rowindex={item.index + 1}
        style={{ transform: `translateY(${item.start}px)`, height: item.size }}
      >
        {/* biome-ignore lint/a11y: the month names the row for screen readers. */}
        <h2 role="rowheader">{monthLabel(section.key)}</h2>
        <span className="muted">
          {formatCount(section.count)} {section.count === 1 ? 'photo' : 'photos'}
        </span>
      </div>
    );
  }
  const tiles: ReactElement[] = [];
  for (let index = row.start; index < row.start + row.count; index++) {
    const photo = pages.get(index);
    tiles.push(
      <PhotoTile
        key={index}
        photo={photo}
        index={index}
        size={tileSize}
        showImage={settled || !scrolling}
        urgent={inView}
        selected={photo ? isSelected(selection, photo.id) : false}
        focused={index === focus}
      />,
    );
  }
  return (
    // biome-ignore lint/a11y: a row of the ARIA grid; focus stays on the grid (aria-activedescendant).
    <div
      role="row"
      className="gallery-row"
      aria-rowindex={item.index + 1}
      style={{ transform: `translateY(${item.start}px)`, height: item.size, gap }}
    >
      {tiles}
    </div>
  );
}
