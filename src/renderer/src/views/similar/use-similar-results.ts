import { useCallback, useEffect, useRef, useState } from 'react';
import type { SimilarResult } from '../../../../shared/model';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { useReconnect } from '../../hooks/use-event';
import { useThrottledEvent } from '../../hooks/use-throttled-event';
import { type FetchedHits, requestFor, type SimilarFilters, type SimilarQuery } from './similar-search';

export interface SimilarResults {
  result: SimilarResult | null;
  fetched: FetchedHits | null;
  loading: boolean;
  error: string | null;
  retry(): void;
}

/**
 * Asks the core for the hits of one search and keeps the last answer on screen while a
 * newer one is on its way (no flash when the slider or a filter changes). While the query
 * photo is not indexed yet, indexing progress ('jobs:progress') asks again, so the hits
 * appear by themselves once its vector exists.
 */
export function useSimilarResults(
  query: SimilarQuery | null,
  filters: SimilarFilters,
  minScore: number,
  k: number,
): SimilarResults {
  const [result, setResult] = useState<SimilarResult | null>(null);
  const [fetched, setFetched] = useState<FetchedHits | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const shownKey = useRef<string | null>(null);

  const key = query ? query.ids.join(',') : '';
  useEffect(() => {
    // `attempt` re-runs the same request (retry, indexing progressed).
    void attempt;
    if (!key) return;
    const ids = key.split(',').map(Number);
    const request = requestFor({ ids }, filters, minScore, k);
    // A different query photo must not show the previous photo's hits meanwhile.
    if (shownKey.current !== key) {
      setResult(null);
      setFetched(null);
    }
    let current = true;
    setLoading(true);
    const call =
      request.method === 'photos:similar'
        ? api['photos:similar'](request.input)
        : api['photos:similar-to-many'](request.input);
    call
      .then((next) => {
        if (!current) return;
        shownKey.current = key;
        setResult(next);
        setFetched({ minScore, k, count: next.hits.length });
        setError(null);
      })
      .catch((e: unknown) => {
        if (current) setError(errorMessage(e));
      })
      .finally(() => {
        if (current) setLoading(false);
      });
    return () => {
      current = false;
    };
  }, [key, filters, minScore, k, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  const waitingForIndex = result?.notIndexed === true;
  useThrottledEvent(
    'jobs:progress',
    () => {
      if (waitingForIndex) retry();
    },
    1500,
  );
  useThrottledEvent(
    'library:changed',
    () => {
      if (waitingForIndex) retry();
    },
    1500,
  );
  useReconnect(retry);

  return { result, fetched, loading, error, retry };
}
