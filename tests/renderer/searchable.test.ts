import { describe, expect, it } from 'vitest';
import { searchableEstimate } from '../../src/renderer/src/views/activity/searchable';
import type { JobProgress } from '../../src/shared/model';

const job = (kind: string, done: number, total: number, perSecond: number): JobProgress => ({
  kind,
  label: kind,
  done,
  total,
  perSecond,
  secondsLeft: null,
});

describe('time until the whole library is searchable', () => {
  it('counts the files still to add as photos to index, at the pace of the slower stage', () => {
    // 600 to add at 12/s, 20 waiting for the model which keeps up at 15/s: adding sets the pace.
    const e = searchableEstimate([job('ingest-file', 400, 1000, 12), job('embed', 380, 400, 15)]);
    expect(e).toEqual({ photosLeft: 620, secondsLeft: 50, more: false });
    // The model is the slower stage: 620 vectors at 5/s.
    const slow = searchableEstimate([job('ingest-file', 400, 1000, 12), job('embed', 380, 400, 5)]);
    expect(slow?.secondsLeft).toBe(124);
  });

  it('after a model switch only indexing is left', () => {
    expect(searchableEstimate([job('embed', 100, 3100, 25)])).toEqual({
      photosLeft: 3000,
      secondsLeft: 120,
      more: false,
    });
  });

  it('has no time while a rate is unknown or the work is paused, and says when a scan may add more', () => {
    expect(searchableEstimate([job('ingest-file', 0, 50, 4), job('embed', 0, 0, 0)])?.secondsLeft).toBeNull();
    expect(searchableEstimate([job('embed', 10, 20, 5)], true)?.secondsLeft).toBeNull();
    const scanning = [job('scan-folder', 0, 1, 0), job('ingest-file', 0, 200, 10), job('embed', 0, 1, 0)];
    expect(searchableEstimate(scanning)?.more).toBe(true);
  });

  it('is nothing when nothing is left to add or index, or when no model indexes photos', () => {
    expect(searchableEstimate([job('thumbnail', 0, 5, 1), job('embed', 40, 40, 20)])).toBeNull();
    expect(searchableEstimate([job('ingest-file', 10, 200, 10)])).toBeNull();
  });
});
