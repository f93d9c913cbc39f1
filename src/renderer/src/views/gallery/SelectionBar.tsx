import type { ReactElement } from 'react';
import { formatCount } from '../../format';

export function SelectionBar({
  count,
  allSelected,
  onSelectAll,
  onClear,
}: {
  count: number;
  allSelected: boolean;
  onSelectAll(): void;
  onClear(): void;
}): ReactElement {
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
    </div>
  );
}
