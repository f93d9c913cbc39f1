import type { JobProgress } from '../../../../shared/model';

export interface SearchableEstimate {
  /** Photos still to be added or indexed before Find similar covers the whole library. */
  photosLeft: number;
  /** null while a rate is not known yet (the first seconds, or paused). */
  secondsLeft: number | null;
  /** A folder is still being scanned: more photos may come, so this is a lower bound. */
  more: boolean;
}

/**
 * How long until the whole library is searchable, from the queue's progress: every file still
 * to be added needs a vector too, and adding and indexing run side by side, so the slower of
 * the two sets the time (the ingest rate when it feeds the model, the indexing rate when it
 * lags behind). null when nothing is being indexed (no model) or nothing is left.
 */
export function searchableEstimate(
  progress: readonly JobProgress[],
  paused = false,
): SearchableEstimate | null {
  const of = (kind: string) => progress.find((p) => p.kind === kind);
  const ingest = of('ingest-file');
  const embed = of('embed');
  const left = (p: JobProgress | undefined) => (p ? Math.max(0, p.total - p.done) : 0);
  // No indexing at all: no model is there to make photos searchable, so there is no time to tell.
  if (!embed) return null;
  const toAdd = left(ingest);
  const toIndex = left(embed) + toAdd;
  if (toIndex === 0) return null;
  const scanning = left(of('scan-folder')) > 0;
  const times: number[] = [];
  if (toAdd > 0) times.push(ingest!.perSecond > 0 ? toAdd / ingest!.perSecond : Number.NaN);
  times.push(embed.perSecond > 0 ? toIndex / embed.perSecond : Number.NaN);
  const known = !paused && times.every((t) => Number.isFinite(t));
  return { photosLeft: toIndex, secondsLeft: known ? Math.ceil(Math.max(...times)) : null, more: scanning };
}
