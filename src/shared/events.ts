import type { JobProgress, LibraryStatus, ModelDownload, VectorStoreStatus, WatchedFolder } from './model';

/** Every event the core pushes to the window. */
export interface Events {
  /** Photos appeared, changed or left: the gallery refreshes what it shows. */
  'library:changed': { added: number; removed: number; updated: number; folderIds: number[] };
  'folders:changed': { folders: WatchedFolder[] };
  /** Throttled: at most a few per second. */
  'jobs:progress': { paused: boolean; progress: JobProgress[] };
  'library:status': LibraryStatus;
  /**
   * A file or folder could not be read. Batched: this problem and `more` others since the last
   * event (absent: none); Activity's list (`library:problems`) holds every one.
   */
  'activity:problem': { path: string; kind: string; reason: string; more?: number };
  'vectors:status': VectorStoreStatus;
  /** A comic version being drawn: partial images while it draws, then its outcome. */
  'studio:progress': {
    sessionId: number;
    versionId: number;
    state: 'generating' | 'done' | 'failed' | 'cancelled';
    /** Media path of the latest partial image, while drawing. */
    partial: string | null;
    elapsedMs: number;
    /** Set while waiting to retry (rate limit, server error). */
    retryInSeconds: number | null;
    error: string | null;
  };
  /** Getting a model: download, conversion, then ready (now active), failed or cancelled. */
  'models:download': ModelDownload & { id: string; done: boolean };
}

export type EventName = keyof Events;
export const eventNames: EventName[] = [
  'library:changed',
  'folders:changed',
  'jobs:progress',
  'library:status',
  'activity:problem',
  'vectors:status',
  'models:download',
  'studio:progress',
];

/** The core's only way out: shells forward events to windows or streams. */
export interface Notifier {
  emit<E extends EventName>(event: E, payload: Events[E]): void;
}
