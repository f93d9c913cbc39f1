import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import type { Notifier } from '../../../shared/events';
import type { JobQueue } from '../jobs/queue';
import type { LibraryChanges } from './changes';
import type { LibraryFiles } from './library-files';

/** What the job handlers and the watcher share; built once by createLibraryIngest. */
export interface IngestContext {
  queue: JobQueue;
  notifier: Notifier;
  files: LibraryFiles;
  changes: LibraryChanges;
  dataDir: string;
  thumbsDir: string;
  maxPixels: number;
  /** Marks a folder offline (root unreachable): keeps its files, stops its watcher, polls for its return. */
  goOffline(folderId: number): void;
  /** Emits 'folders:changed' with the current list. */
  foldersChanged(): void;
  /** Records a problem and tells the Activity view. */
  problem(path: string, kind: string, reason: string): void;
  readonly closing: boolean;
}

export const KIND = { scan: 'scan-folder', ingest: 'ingest-file', thumbnail: 'thumbnail' } as const;

export interface IngestPayload {
  folderId: number;
}

/** A cheap check that a folder's root is there and can be listed. */
export async function rootReachable(path: string): Promise<boolean> {
  try {
    const s = await stat(path);
    if (!s.isDirectory()) return false;
    await access(path, constants.R_OK | constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A file that failed for a reason outside its content (permissions, I/O) is tried again at every scan. */
export function isRetryable(reason: string | null): boolean {
  return reason !== null && /^(Komorebi cannot read|Reading )/.test(reason);
}

export function errnoReason(err: unknown, what: string): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES' || code === 'EPERM')
    return `Komorebi cannot read ${what}: permission denied. Check its permissions.`;
  if (code === 'EIO')
    return `Reading ${what} failed with an input/output error: the disk may be failing or disconnected.`;
  if (code === 'ELOOP') return `Komorebi cannot read ${what}: it is a loop of symbolic links.`;
  return `Komorebi cannot read ${what}: ${(err as Error)?.message ?? String(err)}`;
}
