import type { PreviewRequest, PreviewResult } from './previews';

export type ToPreviewWorker = { type: 'make'; id: number; request: PreviewRequest } | { type: 'close' };

export type PreviewReply =
  | { id: number; ok: true; result: PreviewResult }
  /** The error's message and errno code (ENOSPC...), so the caller tells a bad photo from a full disk. */
  | { id: number; ok: false; message: string; code?: string };

/** Sent once the worker has loaded and listens: until then the caller decodes on its own thread. */
export type PreviewWorkerReady = { type: 'ready' };
