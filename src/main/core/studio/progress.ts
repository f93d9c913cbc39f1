import type { Events, Notifier } from '../../../shared/events';

type Progress = Events['studio:progress'];

/** Partial images arrive in bursts; the window needs at most a few a second per version. */
export const PARTIAL_EVENT_INTERVAL_MS = 250;

interface Live {
  partial: string | null;
  retryInSeconds: number | null;
  lastAt: number;
  timer?: NodeJS.Timeout;
}

/**
 * 'studio:progress' for the versions of one Generate press. State changes go out at once;
 * partial images are throttled per version (the latest one is always sent, a little later
 * if need be), and nothing about a version is sent after its final state.
 */
export class GenerationProgress {
  private readonly live = new Map<number, Live>();

  constructor(
    private readonly notifier: Notifier,
    private readonly sessionId: number,
    private readonly startedAt: number,
  ) {}

  started(versionIds: number[]): void {
    for (const id of versionIds) {
      this.live.set(id, { partial: null, retryInSeconds: null, lastAt: 0 });
      this.send(id, 'generating', null);
    }
  }

  partial(versionId: number, mediaPath: string): void {
    const v = this.live.get(versionId);
    if (!v) return;
    v.partial = mediaPath;
    v.retryInSeconds = null;
    const wait = v.lastAt + PARTIAL_EVENT_INTERVAL_MS - Date.now();
    if (wait <= 0) {
      this.flush(versionId);
    } else {
      v.timer ??= setTimeout(() => this.flush(versionId), wait);
    }
  }

  retrying(seconds: number): void {
    for (const [id, v] of this.live) {
      v.retryInSeconds = seconds;
      this.flush(id);
    }
  }

  finished(versionId: number, state: 'done' | 'failed' | 'cancelled', error: string | null): void {
    const v = this.live.get(versionId);
    if (!v) return;
    clearTimeout(v.timer);
    this.live.delete(versionId);
    this.send(versionId, state, null, null, error);
  }

  /** Versions not yet given a final state. */
  pending(): number[] {
    return [...this.live.keys()];
  }

  private flush(versionId: number): void {
    const v = this.live.get(versionId);
    if (!v) return;
    clearTimeout(v.timer);
    v.timer = undefined;
    v.lastAt = Date.now();
    this.send(versionId, 'generating', v.partial, v.retryInSeconds);
  }

  private send(
    versionId: number,
    state: Progress['state'],
    partial: string | null,
    retryInSeconds: number | null = null,
    error: string | null = null,
  ): void {
    this.notifier.emit('studio:progress', {
      sessionId: this.sessionId,
      versionId,
      state,
      partial,
      elapsedMs: Date.now() - this.startedAt,
      retryInSeconds,
      error,
    });
  }
}
