import { realpathSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import type { Notifier } from '../../../shared/events';
import type { WatchedFolder } from '../../../shared/model';
import { LibraryRequestError } from '../errors';
import { jobs, Priority } from '../jobs/kinds';
import type { JobQueue } from '../jobs/queue';
import type { Db } from '../library/db';
import { LibraryChanges } from './changes';
import { folderReachable, type IngestContext, type NewPhotoHooks } from './context';
import { checkNewFolder } from './folder-checks';
import { DEFAULT_MAX_PIXELS } from './image-info';
import { ingestFile } from './ingest-file';
import { type FolderRow, LibraryFiles, under } from './library-files';
import { mountIsBack } from './mounts';
import { collectOrphans, DEFAULT_ORPHAN_GRACE_MS } from './orphans';
import { makePreviews, type PreviewRequest, type PreviewResult } from './previews';
import { scanFolder } from './scan';
import { makeThumbnailJob } from './thumbnail-job';
import { PREVIEW_ENCODING, type PreviewEncoding } from './thumbnails';
import { DEFAULT_TIMINGS, FolderWatcher, type WatchTimings } from './watcher';

/**
 * Photos added at once: one more than the cores, so that while one waits for the disk or the
 * main thread (stat, hash reads, SQLite) the others keep every core decoding. With two, a
 * 2-core machine added photos at 0.61-0.74 of what its cores allow; with three, 0.85; with
 * four, 0.80-0.90 (`npm run bench -- ingest`, decision 0048). Capped: each holds a decode.
 */
const INGEST_CONCURRENCY = Math.min(6, os.availableParallelism() + 1);

export type { NewPhotoHooks } from './context';
export { PreviewThread } from './preview-thread';
export { PREVIEW_ENCODING, type PreviewEncoding, thumbFiles, thumbPaths, WEBP_PREVIEWS } from './thumbnails';

export interface LibraryIngestOptions {
  db: Db;
  queue: JobQueue;
  notifier: Notifier;
  /** The app's data dir: never scanned, never accepted as (or inside) a watched folder. */
  dataDir: string;
  thumbsDir: string;
  /** Force chokidar polling for every folder (network drives). */
  usePolling?: boolean;
  /** Larger images are refused as image bombs (default: sharp's 268 MP). */
  maxPixels?: number;
  /** How often every folder's root is stat'ed to notice it going offline or coming back. */
  offlineCheckMs?: number;
  /** How long a photo with no file stays (so a move keeps its identity) before GC. */
  orphanGraceMs?: number;
  timings?: Partial<WatchTimings>;
  /** How previews are encoded (default PREVIEW_ENCODING). */
  previews?: PreviewEncoding;
  /** One decode per photo: what else is made from a new photo's pixels (the model's input). */
  newPhotos?: NewPhotoHooks;
  /**
   * Where new photos are decoded: the app passes its preview thread (decision 0065); without
   * it, on this thread.
   */
  makePreviews?: (req: PreviewRequest) => Promise<PreviewResult>;
  /** Told which photos garbage collection deleted, so their embeddings and vectors can go too. */
  onPhotosForgotten?: (hashes: string[]) => void | Promise<void>;
}

export interface LibraryIngest {
  /** Validates, stores and starts watching + scanning a folder. Throws an Error with a user-readable message. */
  addFolder(path: string): Promise<WatchedFolder>;
  /** Stops watching and forgets the folder's files and problems. Never touches files on disk. */
  removeFolder(id: number): Promise<void>;
  listFolders(): WatchedFolder[];
  /** Each watched folder's path by id, without photo counts: asked once per media request. */
  folderPaths(): Map<number, string>;
  /**
   * Forgets files that left their folder through Komorebi (moved to the Trash), exactly as a
   * deleted file is forgotten: its row and problems go, its photo becomes an orphan.
   */
  forgetFiles(paths: string[]): void;
  /** Queues a full scan of the folder (user asked: ahead of background scans). */
  rescan(id: number): void;
  /** Watches every folder and queues a scan of each to catch changes made while the app was closed. */
  start(): Promise<void>;
  /** Resolves when every folder's watcher has set up its directory watches (tests, status). */
  watching(): Promise<void>;
  /** Garbage-collects photos no file has pointed at for the grace period. Returns their hashes. */
  collectOrphans(now?: number): Promise<string[]>;
  /** Stops watchers and timers; a scan in progress goes back in line. Call before queue.close(). */
  close(): Promise<void>;
}

const GC_EVERY_MS = 3600_000;

export function createLibraryIngest(opts: LibraryIngestOptions): LibraryIngest {
  const files = new LibraryFiles(opts.db);
  const dataDir = realDir(opts.dataDir);
  const changes = new LibraryChanges(opts.notifier);
  const timings = { ...DEFAULT_TIMINGS, ...opts.timings };
  const graceMs = opts.orphanGraceMs ?? DEFAULT_ORPHAN_GRACE_MS;
  const watchers = new Map<number, FolderWatcher>();
  let started = false;
  let closing = false;
  let monitor: NodeJS.Timeout | null = null;
  let checking = false;
  let lastGc = 0;

  const listFolders = (): WatchedFolder[] => {
    const counts = files.photoCounts();
    return files
      .folders()
      .map((f) => toWatchedFolder(f, counts.get(f.id) ?? 0, watchers.get(f.id)?.pollingReason ?? null));
  };

  const ctx: IngestContext = {
    queue: opts.queue,
    notifier: opts.notifier,
    files,
    changes,
    dataDir,
    thumbsDir: opts.thumbsDir,
    maxPixels: opts.maxPixels ?? DEFAULT_MAX_PIXELS,
    previews: opts.previews ?? PREVIEW_ENCODING,
    newPhotos: opts.newPhotos,
    makePreviews: opts.makePreviews ?? makePreviews,
    freshWriteMs: timings.freshWriteMs,
    get closing() {
      return closing;
    },
    goOffline(folderId) {
      const folder = files.folder(folderId);
      if (!folder || folder.status === 'offline') return;
      void stopWatcher(folderId);
      files.setFolderStatus(
        folderId,
        'offline',
        `${folder.path} cannot be reached (drive disconnected, or the folder was moved or renamed). Its photos stay in the library; reconnect it and Komorebi picks up where it left off.`,
      );
      ctx.foldersChanged();
    },
    foldersChanged() {
      if (!closing) opts.notifier.emit('folders:changed', { folders: listFolders() });
    },
    problem(path, kind, reason) {
      files.addProblem(path, kind, reason);
      opts.notifier.emit('activity:problem', { path, kind, reason });
    },
    unmounted: new Map(),
  };

  // A scan never decodes an image, and it is long: a crash under it is never its fault.
  opts.queue.register(
    'scan-folder',
    { label: 'Scanning folders', concurrency: 1, crashGuard: false },
    (job) => scanFolder(ctx, Number(job.key)),
  );
  opts.queue.register('ingest-file', { label: 'Adding photos', concurrency: INGEST_CONCURRENCY }, (job) =>
    ingestFile(ctx, job),
  );
  opts.queue.register('thumbnail', { label: 'Making thumbnails', concurrency: 1 }, (job) =>
    makeThumbnailJob(ctx, job),
  );

  function startWatcher(folder: FolderRow): void {
    if (watchers.has(folder.id) || closing) return;
    const w = new FolderWatcher(ctx, folder.id, folder.path, opts.usePolling ?? false, timings);
    watchers.set(folder.id, w);
    w.start();
  }

  async function stopWatcher(id: number): Promise<void> {
    const w = watchers.get(id);
    watchers.delete(id);
    await w?.close();
  }

  async function gc(now?: number): Promise<string[]> {
    const gone = await collectOrphans(files, opts.thumbsDir, graceMs, now);
    if (gone.length > 0) await opts.onPhotosForgotten?.(gone);
    return gone;
  }

  function queueScan(id: number, priority: number = Priority.scan): void {
    opts.queue.enqueue({ ...jobs.scanFolder(id), priority });
  }

  /** Every few seconds: a cheap stat of each root, to notice a drive leaving or coming back. */
  async function checkRoots(): Promise<void> {
    if (checking || closing) return;
    checking = true;
    try {
      for (const folder of files.folders()) {
        const reachable = await folderReachable(ctx, folder);
        if (closing) return;
        const current = files.folder(folder.id);
        if (!current) continue;
        if (current.status === 'offline' && reachable) {
          files.setFolderStatus(folder.id, 'scanning');
          startWatcher(current);
          queueScan(folder.id, Priority.newFile);
          ctx.foldersChanged();
        } else if (current.status !== 'offline' && !reachable) {
          ctx.goOffline(folder.id);
        }
      }
      // A drive inside a watched folder that came back: rescan its folder to pick up where it left off.
      for (const [key, mount] of ctx.unmounted) {
        if (closing || !(await mountIsBack(mount))) continue;
        ctx.unmounted.delete(key);
        if (files.folder(mount.folderId)) queueScan(mount.folderId, Priority.newFile);
      }
      if (Date.now() - lastGc > GC_EVERY_MS) {
        lastGc = Date.now();
        await gc();
      }
    } finally {
      checking = false;
    }
  }

  return {
    async addFolder(path) {
      const real = await checkNewFolder(path, dataDir, files.folders());
      const folder = files.addFolder(real);
      if (started) startWatcher(folder);
      queueScan(folder.id, Priority.newFile);
      ctx.foldersChanged();
      return toWatchedFolder(folder, 0, watchers.get(folder.id)?.pollingReason ?? null);
    },

    async removeFolder(id) {
      const folder = files.folder(id);
      if (!folder)
        throw new LibraryRequestError(`No watched folder has id ${id}; it may have been removed already.`);
      await stopWatcher(id);
      opts.queue.cancel(jobs.scanFolder(id));
      const [from, to] = under(folder.path);
      opts.queue.cancel({ kind: 'ingest-file', from, to });
      const shown = files.photoCounts().get(id) ?? 0;
      files.removeFolder(id, folder.path);
      changes.note(id, { removed: shown });
      ctx.foldersChanged();
    },

    listFolders,

    folderPaths: () => new Map(files.folders().map((f) => [f.id, f.path])),
    forgetFiles(paths) {
      const byFolder = new Map<number, string[]>();
      for (const path of paths) {
        const file = files.file(path);
        if (file) byFolder.set(file.folder_id, [...(byFolder.get(file.folder_id) ?? []), path]);
      }
      for (const [folderId, list] of byFolder) changes.note(folderId, { removed: files.removeFiles(list) });
      changes.flush(); // the user is waiting for the gallery to drop them
    },

    rescan(id) {
      if (!files.folder(id))
        throw new LibraryRequestError(`No watched folder has id ${id}; it may have been removed.`);
      queueScan(id, Priority.newFile);
    },

    async start() {
      if (started) return;
      started = true;
      lastGc = Date.now();
      await gc();
      for (const folder of files.folders()) {
        if (await folderReachable(ctx, folder)) {
          if (folder.status === 'offline') files.setFolderStatus(folder.id, 'scanning');
          startWatcher(folder);
          queueScan(folder.id);
        } else {
          ctx.goOffline(folder.id);
        }
      }
      const thumbs = files.pendingThumbnails();
      opts.queue.enqueueMany(thumbs.map((hash) => ({ ...jobs.thumbnail(hash), priority: Priority.backlog })));
      monitor = setInterval(() => void checkRoots(), opts.offlineCheckMs ?? 3000);
      monitor.unref();
      ctx.foldersChanged();
    },

    async watching() {
      await Promise.all([...watchers.values()].map((w) => w.ready));
    },

    collectOrphans: (now) => gc(now),

    async close() {
      closing = true;
      if (monitor) clearInterval(monitor);
      await Promise.all([...watchers.keys()].map((id) => stopWatcher(id)));
      changes.flush();
    },
  };
}

/** Compared with real paths everywhere, so a data dir reached through a symlink is still recognised. */
function realDir(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return resolve(dir);
  }
}

function toWatchedFolder(f: FolderRow, photoCount: number, watchNote: string | null): WatchedFolder {
  return {
    id: f.id,
    path: f.path,
    status: f.status,
    error: f.error,
    watchNote,
    photoCount,
    addedAt: f.added_at,
    lastScanAt: f.last_scan_at,
  };
}
