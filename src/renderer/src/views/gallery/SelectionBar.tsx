import type { ReactElement } from 'react';
import { limits } from '../../../../shared/limits';
import { formatCount } from '../../format';
import { makeComicBlocked, makeComicShortcut } from '../studio/make-comic';

export function SelectionBar({
  count,
  allSelected,
  onSelectAll,
  onClear,
  onMakeComic,
}: {
  count: number;
  allSelected: boolean;
  onSelectAll(): void;
  onClear(): void;
  onMakeComic?(): void;
}): ReactElement {
  const comicBlocked = makeComicBlocked(count);
  return (
    <div className="selection-bar" role="toolbar" aria-label="Selection">
      <span className="selection-count" data-testid="selection-count" data-count={count} aria-live="polite">
        {formatCount(count)} selected
      </span>
      {!allSelected && (
        <button type="button" className="button button-quiet" onClick={onSelectAll}>
          Select all
        </button>
      )}
      <button type="button" className="button button-quiet" onClick={onClear} title="Escape">
        Clear
      </button>
      {onMakeComic && (
        <button
          type="button"
          className="button button-primary"
          data-testid="make-comic"
          disabled={comicBlocked !== null}
          title={comicBlocked ?? `Draw a comic from the selected photos (${makeComicShortcut()})`}
          onClick={onMakeComic}
        >
          Make comic
        </button>
      )}
      {onMakeComic && comicBlocked !== null && (
        <span className="muted small">At most {limits.comicPhotos} photos per comic</span>
      )}
    </div>
  );
}
