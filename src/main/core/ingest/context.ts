import { constants } from 'node:fs';
import { access, opendir, realpath, stat } from 'node:fs/promises';
import type { Notifier } from '../../../shared/events';
import type { ModelManifest } from '../embed/manifest';
import type { JobQueue } from '../jobs/queue';
import type { LibraryChanges } from './changes';
import type { LibraryFiles } from './library-files';
import type { PreviewRequest, PreviewResult } from './previews';
import type { PreviewEncoding } from './thumbnails';

/** What else is made from a new photo's one decode (decision 0027). */
export interface NewPhotoHooks {
  /** The model whose input a new photo's decode should also make, if any. */
  modelInput(): ModelManifest | null;
  /** The input made from a new photo's decode for `modelId`. */
  keepInput(hash: string, modelId: string, rgb: Uint8Array): void;
  /** The new photo is in the library, at the priority its file was ingested at. */
  added(hash: string, priority: number): void;
}

/** What the job handlers and the watcher share; built once by createLibraryIngest. */
export interface IngestContext {
  queue: JobQueue;
  notifier: Notifier;
  files: LibraryFiles;
  changes: LibraryChanges;
  dataDir: string;
  thumbsDir: string;
  maxPixels: number;
  previews: PreviewEncoding;
  newPhotos?: NewPhotoHooks;
  /** Decodes a new photo once into its previews (and model input): in the preview thread, or here. */
  makePreviews(req: PreviewRequest): Promise<PreviewResult>;
  /** See WatchTimings.freshWriteMs. */
  freshWriteMs: number;
  /** Marks a folder offline (root unreachable): keeps its files, stops its watcher, polls for its return. */
  goOffline(folderId: number): void;
  /** Emits 'folders:changed' with the current list. */
  foldersChanged(): void;
  /** Records a problem and tells the Activity view. */
  problem(path: string, kind: string, reason: string): void;
  /** Mount points inside watched folders whose drive is not there now; checked with the roots. */
  unmounted: Map<string, { folderId: number; dir: string; dirDev: string }>;
  readonly closing: boolean;
}

/**
 * A cheap check that a folder's root is there and can be listed. A directory on another
 * device than the one its photos were on is an unplugged drive's mount point if it is empty,
 * or if none of a few of the folder's known files is there (`known`: something was left in
 * the mount point directory itself). A root that moved to another disk with its photos is
 * reachable.
 */
export async function rootReachable(
  folder: { path: string; root_dev?: string | null },
  known: () => string[] = () => [],
): Promise<boolean> {
  try {
    // Stored as a real path when added: if it now leads elsewhere (replaced by a link), the
    // folder the user added is not there, and what is there is not theirs to show.
    if ((await realpath(folder.path)) !== folder.path) return false;
    const s = await stat(folder.path);
    if (!s.isDirectory()) return false;
    await access(folder.path, constants.R_OK | constants.X_OK);
    if (folder.root_dev && String(s.dev) !== folder.root_dev) {
      if (await isEmptyDir(folder.path)) return false;
      const sample = known();
      if (sample.length > 0 && !(await anyExists(sample))) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/** rootReachable with a sample of the folder's own files to recognise an unmounted drive's leftovers. */
export function folderReachable(
  ctx: { files: LibraryFiles },
  folder: { id: number; path: string; root_dev?: string | null },
): Promise<boolean> {
  return rootReachable(folder, () => ctx.files.samplePaths(folder.id, 8));
}

async function anyExists(paths: string[]): Promise<boolean> {
  for (const p of paths)
    if (
      await stat(p).then(
        () => true,
        () => false,
      )
    )
      return true;
  return false;
}

async function isEmptyDir(path: string): Promise<boolean> {
  const dir = await opendir(path);
  try {
    return (await dir.read()) === null;
  } finally {
    await dir.close();
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
  if (code === 'ETOODEEP')
    return `Komorebi does not look into ${what}: ${(err as Error).message}. To include its photos, add it (or a folder above it) as a watched folder of its own.`;
  return `Komorebi cannot read ${what}: ${(err as Error)?.message ?? String(err)}`;
}
