import { describe, expect, it } from 'vitest';
import { menuEntriesFor, type PhotoMenuContext } from '../../src/renderer/src/views/gallery/photo-menu';
import { moreLikeTheseIds, similarMenuItems } from '../../src/renderer/src/views/similar/similar-menu';
import {
  dayEnd,
  dayStart,
  FIRST_K,
  fetchFloor,
  formatScore,
  HISTORY_LIMIT,
  MAX_K,
  mayHaveMore,
  needsRequery,
  noFilters,
  popQuery,
  pushQuery,
  queryFromParams,
  requestFor,
  scorePercent,
  visibleHits,
} from '../../src/renderer/src/views/similar/similar-search';
import type { Photo, SimilarHit } from '../../src/shared/model';

function photo(id: number): Photo {
  return {
    id,
    hash: `h${id}`,
    folderId: 1,
    name: `p${id}.jpg`,
    path: `/p/p${id}.jpg`,
    size: 1,
    width: null,
    height: null,
    date: 0,
    takenAt: null,
    thumb: null,
    preview: null,
    original: `folder/1/p${id}.jpg`,
  };
}

const hit = (id: number, score: number): SimilarHit => ({ photo: photo(id), score });

describe('the score slider', () => {
  it('shows hits at or above it, best first, hiding the rest without asking the core', () => {
    const hits = [hit(1, 0.61), hit(2, 0.93), hit(3, 0.4), hit(4, 0.75)];
    expect(visibleHits(hits, 0.6).map((h) => h.photo.id)).toEqual([2, 4, 1]);
    expect(visibleHits(hits, 0.94)).toEqual([]);
    // Exactly on the threshold counts (a slider at 0.75 shows a 0.75 hit).
    expect(visibleHits(hits, 0.75).map((h) => h.photo.id)).toEqual([2, 4]);
  });

  it('asks the core again only when moved below the floor it asked with', () => {
    const floor = fetchFloor(0.5);
    expect(floor).toBeCloseTo(0.4, 10);
    const fetched = { minScore: floor, k: FIRST_K, count: 12 };
    expect(needsRequery(fetched, 0.9)).toBe(false);
    expect(needsRequery(fetched, 0.45)).toBe(false);
    expect(needsRequery(fetched, 0.4)).toBe(false);
    expect(needsRequery(fetched, 0.39)).toBe(true);
    expect(needsRequery(null, 0)).toBe(false);
    expect(fetchFloor(0.05)).toBe(0);
  });

  it('offers more only when the core stopped at k', () => {
    expect(mayHaveMore({ minScore: 0, k: 100, count: 100 })).toBe(true);
    expect(mayHaveMore({ minScore: 0, k: 100, count: 37 })).toBe(false);
    expect(mayHaveMore({ minScore: 0, k: MAX_K, count: MAX_K })).toBe(false);
  });

  it('writes scores as two decimals and percentages, clamped to 0..1', () => {
    expect(formatScore(0.9349)).toBe('0.93');
    expect(formatScore(1.0000001)).toBe('1.00');
    expect(formatScore(-0.2)).toBe('0.00');
    expect(scorePercent(0.876)).toBe('88%');
  });
});

describe('the request sent to the core', () => {
  it('uses photos:similar for one photo and similar-to-many for several', () => {
    expect(requestFor({ ids: [5] }, noFilters, 0.4, 100)).toEqual({
      method: 'photos:similar',
      input: { id: 5, k: 100, minScore: 0.4 },
    });
    expect(requestFor({ ids: [5, 9] }, noFilters, 0, 2000)).toEqual({
      method: 'photos:similar-to-many',
      input: { ids: [5, 9], k: MAX_K, minScore: 0 },
    });
  });

  it('turns the folder and local days into the core filters, whole days inclusive', () => {
    const request = requestFor({ ids: [5] }, { folderId: 3, from: '2024-03-01', to: '2024-03-31' }, 0.5, 60);
    expect(request.input).toMatchObject({ folderIds: [3] });
    const { from, to } = request.input as { from: number; to: number };
    expect(new Date(from)).toEqual(new Date(2024, 2, 1, 0, 0, 0, 0));
    expect(new Date(to)).toEqual(new Date(2024, 2, 31, 23, 59, 59, 999));
  });

  it('reads a range typed backwards as the same days, and ignores empty or invalid bounds', () => {
    const backwards = requestFor(
      { ids: [1] },
      { folderId: null, from: '2024-05-10', to: '2024-05-01' },
      0,
      10,
    );
    expect(backwards.input).toMatchObject({ from: dayStart('2024-05-01'), to: dayEnd('2024-05-10') });
    const open = requestFor({ ids: [1] }, { folderId: null, from: '', to: 'soon' }, 0, 10);
    expect(open.input).toEqual({ id: 1, k: 10, minScore: 0 });
  });
});

describe('the search history', () => {
  it('continues from a result and goes back, keeping the first search', () => {
    let history = pushQuery([], { ids: [1] });
    history = pushQuery(history, { ids: [7] });
    history = pushQuery(history, { ids: [7] });
    expect(history.map((q) => q.ids)).toEqual([[1], [7]]);
    history = popQuery(history);
    expect(history.map((q) => q.ids)).toEqual([[1]]);
    expect(popQuery(history)).toBe(history);
  });

  it('keeps at most the last HISTORY_LIMIT steps', () => {
    let history = pushQuery([], { ids: [1] });
    for (let i = 2; i < HISTORY_LIMIT + 10; i++) history = pushQuery(history, { ids: [i] });
    expect(history).toHaveLength(HISTORY_LIMIT);
    expect(history[history.length - 1]!.ids).toEqual([HISTORY_LIMIT + 9]);
  });

  it('reads the query photos from view params', () => {
    expect(queryFromParams({ photoIds: [3, 3, 4] })).toEqual({ ids: [3, 4] });
    expect(queryFromParams({ photoId: 8 })).toEqual({ ids: [8] });
    expect(queryFromParams({ photoIds: [-1, 2.5] })).toBeNull();
    expect(queryFromParams({})).toBeNull();
  });
});

describe('gallery menu items', () => {
  function context(calls: string[], selectedCount: number, selected: number[]): PhotoMenuContext {
    return {
      photo: photo(7),
      index: 0,
      selectedCount,
      selectedIds: async () => selected,
      openLightbox: () => calls.push('open'),
      select: () => calls.push('select'),
      navigate: (view, params) => calls.push(`${view}:${JSON.stringify(params)}`),
    };
  }

  it('offers Find similar for one photo, and More like these for several', async () => {
    const calls: string[] = [];
    const one = menuEntriesFor(similarMenuItems, context(calls, 1, [7]));
    expect(one.map((e) => [e.id, e.label])).toEqual([['find-similar', 'Find similar (S)']]);
    one[0]!.run();
    expect(calls).toEqual(['similar:{"photoIds":[7]}']);

    const several = menuEntriesFor(similarMenuItems, context(calls, 3, [2, 7, 9]));
    expect(several.map((e) => e.label)).toEqual(['Find similar to this one', 'More like these 3 (S)']);
    several[1]!.run();
    await new Promise((r) => setTimeout(r, 0));
    expect(calls[calls.length - 1]).toBe('similar:{"photoIds":[2,7,9]}');
  });

  it('caps "More like these" at what the core accepts', () => {
    const ids = Array.from({ length: 700 }, (_, i) => i + 1);
    expect(moreLikeTheseIds(ids)).toHaveLength(500);
    expect(moreLikeTheseIds([4, 4, 2])).toEqual([4, 2]);
  });
});
