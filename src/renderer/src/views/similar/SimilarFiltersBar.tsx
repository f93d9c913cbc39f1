import { type ReactElement, useEffect, useState } from 'react';
import type { WatchedFolder } from '../../../../shared/model';
import { api } from '../../api/client';
import { useEvent } from '../../hooks/use-event';
import { formatScore, type SimilarFilters } from './similar-search';

/** The score slider (instant, client-side) and the folder and date filters (asked of the core). */
export function SimilarFiltersBar({
  threshold,
  onThreshold,
  filters,
  onFilters,
}: {
  threshold: number;
  onThreshold(value: number): void;
  filters: SimilarFilters;
  onFilters(next: SimilarFilters): void;
}): ReactElement {
  const [folders, setFolders] = useState<WatchedFolder[]>([]);
  useEffect(() => {
    api['folders:list']({})
      .then(setFolders)
      .catch(() => {
        // Without the list the folder filter just offers "All folders".
      });
  }, []);
  useEvent('folders:changed', ({ folders: next }) => setFolders(next));

  const narrowed = filters.folderId !== null || filters.from !== '' || filters.to !== '';
  return (
    <fieldset className="similar-filters">
      <legend className="visually-hidden">Filter results</legend>
      <label className="similar-threshold">
        <span>Similarity at least</span>
        <input
          type="range"
          min={0}
          max={1}
          step={0.01}
          value={threshold}
          data-testid="similar-threshold"
          aria-valuetext={`${Math.round(threshold * 100)} percent`}
          onChange={(event) => onThreshold(Number(event.target.value))}
        />
        <output className="similar-threshold-value">{formatScore(threshold)}</output>
      </label>
      <label className="similar-filter">
        <span className="visually-hidden">Folder</span>
        <select
          className="select"
          data-testid="similar-folder"
          value={filters.folderId ?? ''}
          onChange={(event) =>
            onFilters({ ...filters, folderId: event.target.value === '' ? null : Number(event.target.value) })
          }
        >
          <option value="">All folders</option>
          {folders.map((folder) => (
            <option key={folder.id} value={folder.id}>
              {folder.path}
            </option>
          ))}
        </select>
      </label>
      <label className="similar-filter">
        <span>From</span>
        <input
          type="date"
          className="date-input"
          data-testid="similar-from"
          value={filters.from}
          onChange={(event) => onFilters({ ...filters, from: event.target.value })}
        />
      </label>
      <label className="similar-filter">
        <span>to</span>
        <input
          type="date"
          className="date-input"
          data-testid="similar-to"
          value={filters.to}
          onChange={(event) => onFilters({ ...filters, to: event.target.value })}
        />
      </label>
      {narrowed && (
        <button
          type="button"
          className="button button-quiet"
          onClick={() => onFilters({ folderId: null, from: '', to: '' })}
        >
          Clear filters
        </button>
      )}
    </fieldset>
  );
}
