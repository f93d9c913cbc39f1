import type { ApiInput } from '../../../../shared/api';
import { limits } from '../../../../shared/limits';
import type { SimilarHit } from '../../../../shared/model';
import type { ViewParams } from '../../navigation';

/**
 * "Find similar" as plain values: what is searched (one or several query photos), with which
 * filters, and the small history stack behind "Similar to this one" / Back. Pure, so the
 * rules (when to ask the core again, what the slider hides) are tested without a window.
 */

/** One search: the photo(s) results should look like. */
export interface SimilarQuery {
  readonly ids: readonly number[];
}

/** Narrowing the user chose; folder and dates are answered by the core, the score here too. */
export interface SimilarFilters {
  readonly folderId: number | null;
  /** 'YYYY-MM-DD' from a date input, '' for no bound. Local days, inclusive. */
  readonly from: string;
  readonly to: string;
}

export const noFilters: SimilarFilters = Object.freeze({ folderId: null, from: '', to: '' });

/** How many hits a search asks for at first, and the most "Show more" may ask for. */
export const FIRST_K = 100;
export const MAX_K = limits.similarHits.max;

/**
 * The score floor sent to the core for a slider position: a little below the slider, so
 * small moves down filter what is already here instead of waiting for the core.
 */
export function fetchFloor(threshold: number): number {
  return Math.max(0, Math.floor((threshold - 0.1) * 100) / 100);
}

/** What was asked and answered last; the slider decides against it. */
export interface FetchedHits {
  readonly minScore: number;
  readonly k: number;
  readonly count: number;
}

/** The slider went below what the core was asked for: ask again. */
export function needsRequery(fetched: FetchedHits | null, threshold: number): boolean {
  return fetched !== null && threshold < fetched.minScore - 1e-9;
}

/** The core stopped at k: more hits above the slider may exist. */
export function mayHaveMore(fetched: FetchedHits | null): boolean {
  return fetched !== null && fetched.count >= fetched.k && fetched.k < MAX_K;
}

/** Hits at or above the slider, best first (the core sorts; this keeps it true for merged answers). */
export function visibleHits(hits: readonly SimilarHit[], threshold: number): SimilarHit[] {
  return hits.filter((hit) => hit.score >= threshold - 1e-9).sort((a, b) => b.score - a.score);
}

/** "0.93": two decimals read at a glance; the tile's title gives the percentage. */
export function formatScore(score: number): string {
  return Math.max(0, Math.min(1, score)).toFixed(2);
}

export function scorePercent(score: number): string {
  return `${Math.round(Math.max(0, Math.min(1, score)) * 100)}%`;
}

/** Start of a local day in ms, or undefined for ''. */
export function dayStart(day: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime();
}

/** Last millisecond of a local day, or undefined for ''. */
export function dayEnd(day: string): number | undefined {
  const start = dayStart(day);
  if (start === undefined) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day)!;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1).getTime() - 1;
}

export type SimilarRequest =
  | { method: 'photos:similar'; input: ApiInput<'photos:similar'> }
  | { method: 'photos:similar-to-many'; input: ApiInput<'photos:similar-to-many'> };

/** The core request for a search: one photo uses photos:similar, several use similar-to-many. */
export function requestFor(
  query: SimilarQuery,
  filters: SimilarFilters,
  minScore: number,
  k: number,
): SimilarRequest {
  const narrow: { folderIds?: number[]; from?: number; to?: number } = {};
  if (filters.folderId !== null) narrow.folderIds = [filters.folderId];
  let from = dayStart(filters.from);
  let to = dayEnd(filters.to);
  // A range typed backwards means the same days.
  if (from !== undefined && to !== undefined && from > to) {
    from = dayStart(filters.to);
    to = dayEnd(filters.from);
  }
  if (from !== undefined) narrow.from = from;
  if (to !== undefined) narrow.to = to;
  const common = { k: Math.min(MAX_K, Math.max(1, Math.round(k))), minScore, ...narrow };
  if (query.ids.length === 1) return { method: 'photos:similar', input: { id: query.ids[0]!, ...common } };
  return { method: 'photos:similar-to-many', input: { ids: [...query.ids], ...common } };
}

/** The searches the user walked through with "Similar to this one"; the last one is shown. */
export type SimilarHistory = readonly SimilarQuery[];

export function sameQuery(a: SimilarQuery | undefined, b: SimilarQuery | undefined): boolean {
  if (!a || !b || a.ids.length !== b.ids.length) return false;
  return a.ids.every((id, i) => id === b.ids[i]);
}

/** The longest walk kept; older steps fall off the bottom. */
export const HISTORY_LIMIT = 50;

/** Continues from a result (a no-op when it is already the current search). */
export function pushQuery(history: SimilarHistory, query: SimilarQuery): SimilarHistory {
  if (sameQuery(history[history.length - 1], query)) return history;
  const next = [...history, query];
  return next.length > HISTORY_LIMIT ? next.slice(next.length - HISTORY_LIMIT) : next;
}

/** Back to the previous search; the first one stays. */
export function popQuery(history: SimilarHistory): SimilarHistory {
  return history.length > 1 ? history.slice(0, -1) : history;
}

/** Query photo ids from view params (`photoIds: number[]` or `photoId: number`), deduplicated. */
export function queryFromParams(params: ViewParams['similar']): SimilarQuery | null {
  const raw: unknown[] = 'photoIds' in params ? params.photoIds : 'photoId' in params ? [params.photoId] : [];
  const ids = [...new Set(raw.filter((id): id is number => Number.isInteger(id) && (id as number) > 0))];
  return ids.length > 0 ? { ids } : null;
}
