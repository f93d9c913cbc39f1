import type { Events } from '../../../../shared/events';

export type ProgressEvent = Events['studio:progress'];

/** What the window knows about one version being drawn. */
export interface LiveVersion {
  state: ProgressEvent['state'];
  partial: string | null;
  /** Local clock time the drawing started, from the event's elapsedMs: the timer ticks from it. */
  startedAt: number;
  elapsedMs: number;
  retryInSeconds: number | null;
  /** Local clock time the retry wait was announced (the countdown runs from it). */
  retryAnnouncedAt: number | null;
  error: string | null;
}

export type LiveProgress = ReadonlyMap<number, LiveVersion>;

/** Folds one 'studio:progress' event in; events of other sessions are ignored. */
export function applyProgress(
  live: LiveProgress,
  event: ProgressEvent,
  sessionId: number,
  now: number,
): LiveProgress {
  if (event.sessionId !== sessionId) return live;
  const before = live.get(event.versionId);
  const next = new Map(live);
  next.set(event.versionId, {
    state: event.state,
    // A final event may carry no partial; keep the last one so the picture does not blink away.
    partial: event.partial ?? before?.partial ?? null,
    startedAt: now - event.elapsedMs,
    elapsedMs: event.elapsedMs,
    retryInSeconds: event.retryInSeconds,
    retryAnnouncedAt: event.retryInSeconds === null ? null : now,
    error: event.error,
  });
  return next;
}

/** Seconds left before the retry, counting down from the announcement; never below 0. */
export function retrySecondsLeft(v: LiveVersion, now: number): number | null {
  if (v.retryInSeconds === null || v.retryAnnouncedAt === null) return null;
  return Math.max(0, Math.ceil(v.retryInSeconds - (now - v.retryAnnouncedAt) / 1000));
}

/** "0:07", "1:32", "12:05". */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${minutes}:${String(seconds).padStart(2, '0')}`;
}

/** "$0.04", "less than $0.01", "$1.27"; an estimate, so never more than cents. */
export function formatCost(usd: number | null): string {
  if (usd === null || !Number.isFinite(usd)) return 'cost unknown';
  if (usd === 0) return '$0.00';
  if (usd < 0.01) return 'less than $0.01';
  return `$${usd.toFixed(2)}`;
}

export function formatTokens(tokens: number | null, locale?: string): string {
  if (tokens === null) return 'tokens unknown';
  return `${new Intl.NumberFormat(locale).format(tokens)} ${tokens === 1 ? 'token' : 'tokens'}`;
}
