import { memo, type ReactElement } from 'react';
import type { Photo } from '../../../../shared/model';
import { CheckIcon } from '../../components/icons';
import { TileThumbnail } from './TileThumbnail';

/**
 * One square in the grid. Events are handled by the grid (delegation via data-index), so a
 * tile is cheap to create while scrolling through thousands of rows.
 */
export const PhotoTile = memo(function PhotoTile({
  photo,
  index,
  size,
  showImage = true,
  urgent = false,
  selected,
  focused,
}: {
  photo: Photo | undefined;
  index: number;
  size: number;
  /** false while the row has just come into view (see useSettled): no request yet. */
  showImage?: boolean;
  /** In view: its image goes ahead of those of rows rendered ahead of the scroll. */
  urgent?: boolean;
  selected: boolean;
  focused: boolean;
}): ReactElement {
  if (!photo) {
    return (
      // biome-ignore lint/a11y: a cell of the ARIA grid; the grid holds focus (aria-activedescendant).
      <div
        role="gridcell"
        className="tile tile-loading"
        data-index={index}
        style={{ width: size, height: size }}
      />
    );
  }
  const className = `tile${selected ? ' is-selected' : ''}${focused ? ' is-focused' : ''}`;
  return (
    // biome-ignore lint/a11y: a cell of the ARIA grid; the grid holds focus (aria-activedescendant).
    <div
      role="gridcell"
      id={`tile-${index}`}
      className={className}
      data-testid="photo-tile"
      data-photo-id={photo.id}
      data-index={index}
      aria-selected={selected}
      aria-label={photo.name}
      title={photo.name}
      style={{ width: size, height: size }}
    >
      {photo.thumb && showImage ? (
        <TileThumbnail key={photo.thumb} path={photo.thumb} urgent={urgent} />
      ) : photo.thumb ? null : (
        <div className="tile-placeholder" aria-hidden="true" />
      )}
      {selected && (
        <span className="tile-check" aria-hidden="true">
          <CheckIcon />
        </span>
      )}
    </div>
  );
});
