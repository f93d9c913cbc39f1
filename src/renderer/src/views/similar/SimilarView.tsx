import { type ReactElement, useCallback, useEffect, useMemo, useState } from 'react';
import { useApp, useViewParams } from '../../app-context';
import { PrevIcon } from '../../components/icons';
import { formatCount } from '../../format';
import type { ViewParams } from '../../navigation';
import { PhotoListLightbox } from './PhotoListLightbox';
import { SimilarEmpty } from './SimilarEmpty';
import { SimilarFiltersBar } from './SimilarFiltersBar';
import { SimilarHitTile } from './SimilarHitTile';
import { SimilarQueryStrip } from './SimilarQueryStrip';
import {
  FIRST_K,
  fetchFloor,
  MAX_K,
  mayHaveMore,
  noFilters,
  popQuery,
  pushQuery,
  queryFromParams,
  type SimilarFilters,
  type SimilarHistory,
  visibleHits,
} from './similar-search';
import { useSimilarResults } from './use-similar-results';

const THRESHOLD_KEY = 'komorebi.similarThreshold';
const DEFAULT_THRESHOLD = 0.5;

function initialThreshold(): number {
  const stored = Number(localStorage.getItem(THRESHOLD_KEY) ?? Number.NaN);
  return stored >= 0 && stored <= 1 ? stored : DEFAULT_THRESHOLD;
}

/**
 * The view is mounted only while shown; the walk the user made survives leaving it (back to
 * the gallery and in again from the sidebar). `params` tells a new request ("Find similar"
 * again) from the same one seen a second time.
 */
const remembered: { params: ViewParams['similar'] | null; history: SimilarHistory } = {
  params: null,
  history: [],
};

function startingHistory(params: ViewParams['similar']): SimilarHistory {
  const query = queryFromParams(params);
  if (query && params !== remembered.params) {
    remembered.params = params;
    remembered.history = [query];
  }
  return remembered.history;
}

export function SimilarView(): ReactElement {
  const { navigate } = useApp();
  const params = useViewParams('similar');
  const [history, setHistory] = useState<SimilarHistory>(() => startingHistory(params));
  useEffect(() => {
    setHistory(startingHistory(params));
  }, [params]);
  useEffect(() => {
    remembered.history = history;
  }, [history]);

  const query = history[history.length - 1] ?? null;
  const [threshold, setThreshold] = useState(initialThreshold);
  const [floor, setFloor] = useState(() => fetchFloor(threshold));
  const [filters, setFilters] = useState<SimilarFilters>(noFilters);
  const [k, setK] = useState(FIRST_K);
  const { result, fetched, loading, error, retry } = useSimilarResults(query, filters, floor, k);

  // Up: hide at once. Down past what the core was asked for: ask again once the slider rests.
  useEffect(() => {
    localStorage.setItem(THRESHOLD_KEY, String(threshold));
    if (threshold >= floor) return;
    const timer = setTimeout(() => setFloor(fetchFloor(threshold)), 200);
    return () => clearTimeout(timer);
  }, [threshold, floor]);

  // A new search starts with the first page of hits again.
  const queryKey = query?.ids.join(',') ?? '';
  // biome-ignore lint/correctness/useExhaustiveDependencies: resetting on a new search is the point.
  useEffect(() => setK(FIRST_K), [queryKey]);

  const hits = useMemo(() => visibleHits(result?.hits ?? [], threshold), [result, threshold]);
  const [lightbox, setLightbox] = useState<number | null>(null);
  const hitPhotos = useMemo(() => hits.map((hit) => hit.photo), [hits]);
  const continueFrom = useCallback((photoId: number) => {
    setHistory((h) => pushQuery(h, { ids: [photoId] }));
    document.querySelector('.similar-scroll')?.scrollTo({ top: 0 });
  }, []);

  const closeLightbox = useCallback(() => setLightbox(null), []);

  if (!query) return <SimilarEmpty onGallery={() => navigate('gallery')} />;

  const hidden = (result?.hits.length ?? 0) - hits.length;
  return (
    <div className="similar" data-testid="similar-view">
      <header className="view-header">
        <div className="view-title">
          {history.length > 1 && (
            <button
              type="button"
              className="button button-quiet"
              data-testid="similar-back"
              title="Back to the previous search"
              onClick={() => setHistory((h) => popQuery(h))}
            >
              <PrevIcon />
              Back
            </button>
          )}
          <h1>Similar photos</h1>
          {result && !result.notIndexed && (
            <span className="muted" data-testid="similar-count">
              {formatCount(hits.length)} {hits.length === 1 ? 'photo' : 'photos'}
              {hidden > 0 && ` (${formatCount(hidden)} below the slider)`}
            </span>
          )}
          {loading && <span className="muted small">Searching…</span>}
        </div>
      </header>
      <div className="similar-scroll">
        <SimilarQueryStrip photos={result?.query ?? []} pending={query.ids.length} />
        <SimilarFiltersBar
          threshold={threshold}
          onThreshold={setThreshold}
          filters={filters}
          onFilters={setFilters}
        />
        {error && (
          <div className="banner banner-error similar-error" role="alert">
            Could not search for similar photos: {error}{' '}
            <button type="button" className="button button-quiet" onClick={retry}>
              Try again
            </button>
          </div>
        )}
        {result?.notIndexed ? (
          <div className="similar-notice" data-testid="similar-not-indexed" role="status">
            <p>
              <strong>
                {query.ids.length > 1 ? 'These photos are' : 'This photo is'} still being indexed — it has
                been moved to the front of the queue.
              </strong>
            </p>
            <p className="muted">The results appear here by themselves as soon as it is done.</p>
            <button type="button" className="button" onClick={retry} disabled={loading}>
              Try again now
            </button>
          </div>
        ) : (
          result &&
          (hits.length === 0 ? (
            <p className="empty-inline" data-testid="similar-empty-hits">
              {hidden > 0
                ? `No photo is this similar. Move the slider left to see the ${formatCount(hidden)} closest ones.`
                : 'No similar photos found with these filters.'}
            </p>
          ) : (
            <ul className="similar-grid" aria-label="Similar photos, most similar first">
              {hits.map((hit, index) => (
                <SimilarHitTile
                  key={hit.photo.id}
                  hit={hit}
                  index={index}
                  onOpen={setLightbox}
                  onContinue={continueFrom}
                />
              ))}
            </ul>
          ))
        )}
        {result && !result.notIndexed && mayHaveMore(fetched) && hidden === 0 && (
          <div className="similar-more">
            <button
              type="button"
              className="button"
              disabled={loading}
              onClick={() => setK((n) => Math.min(MAX_K, n * 2))}
            >
              Show more
            </button>
          </div>
        )}
        {result?.model && <p className="muted small similar-model">Compared with {result.model}</p>}
      </div>
      {lightbox !== null && (
        <PhotoListLightbox
          photos={hitPhotos}
          index={lightbox}
          onIndexChange={setLightbox}
          onClose={closeLightbox}
        />
      )}
    </div>
  );
}
