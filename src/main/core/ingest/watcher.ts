import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type FSWatcher, watch } from 'chokidar';
import { jobs, Priority } from '../jobs/kinds';
import { realFileInside } from '../media';
import { errnoReason, folderReachable, type IngestContext, isRetryable } from './context';
import { isInside, isPhotoName, makeFolderFilter } from './formats';
import type { FileStamp } from './library-files';
import { forgetMissingFiles } from './mounts';
import { describe, type FoundFile, MAX_DEPTH } from './walk';
import { outOfWatchesMessage } from './watch-limits';

export interface WatchTimings {
  /** Quiet time after the last event in a directory before it is compared with the library. */
  debounceMs: number;
  /** A new or changed file must keep the same size and mtime this long before it is ingested. */
  stableMs: number;
  /** Stat interval when polling (network drives, or the OS out of watches). */
  pollIntervalMs: number;
  /**
   * A file modified this recently that reads as empty, not an image or truncated is more
   * likely still arriving (a copy that paused) than broken: it is judged again once older.
   */
  freshWriteMs: number;
  /**
   * While a folder is polled because the OS ran out of watches, how often live watching is
   * tried again: the user may have raised the limit as the note says, or another app quit.
   */
  liveRetryMs: number;
}

export const DEFAULT_TIMINGS: WatchTimings = {
  debounceMs: 50,
  stableMs: 200,
  pollIntervalMs: 2000,
  freshWriteMs: 3000,
  liveRetryMs: 5 * 60_000,
};

/**
 * Live watching of one folder with one OS watch per directory, not per file: chokidar
 * watches the directory tree (files are ignored, so it never opens a watch for them) and
 * the directories' raw events say "something changed in here". Each such directory is
 * then compared with the library (readdir + stat against the files rows), so the watcher
 * never has to trust individual events, which editors, copiers and rename storms garble.
 */
export class FolderWatcher {
  private watcher: FSWatcher | null = null;
  private readonly dirTimers = new Map<string, NodeJS.Timeout>();
  private readonly reconciling = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private readonly dirty = new Set<string>();
  private readonly settling = new Map<string, { last: FoundFile; timer: NodeJS.Timeout }>();
  private readonly skipDir: (dir: string) => boolean;
  private closed = false;
  private _polling: boolean;
  private _pollingReason: string | null = null;
  private liveRetry: NodeJS.Timeout | null = null;
  /** A live watcher being tried while the folder is polled (see tryLive). */
  private trial: FSWatcher | null = null;
  ready: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: IngestContext,
    readonly folderId: number,
    readonly root: string,
    usePolling: boolean,
    private readonly timings: WatchTimings = DEFAULT_TIMINGS,
  ) {
    this._polling = usePolling;
    this.skipDir = makeFolderFilter(root, ctx.dataDir);
  }

  get polling(): boolean {
    return this._polling;
  }

  /** Why this folder is checked on a timer although it was to be watched live (the OS ran out of watches). */
  get pollingReason(): string | null {
    return this._pollingReason;
  }

  start(): void {
    const w = this.open(this._polling);
    this.watcher = w;
    this.ready = new Promise((resolve) => w.once('ready', () => resolve()));
  }

  /** A chokidar watcher on the folder whose events reach this.schedule and this.onError. */
  private open(usePolling: boolean): FSWatcher {
    const w = watch(this.root, {
      ignoreInitial: true,
      persistent: true,
      depth: MAX_DEPTH,
      followSymlinks: false,
      ignorePermissionErrors: true,
      usePolling,
      interval: this.timings.pollIntervalMs,
      binaryInterval: this.timings.pollIntervalMs,
      // Files are ignored so that only directories hold OS watches; their changes arrive as raw events.
      ignored: (p, stats) => (stats ? stats.isFile() : false) || this.skipDir(p),
    });
    w.on('raw', (_event, path, details) => {
      const dir = (details as { watchedPath?: string } | undefined)?.watchedPath ?? path;
      if (typeof dir === 'string') this.schedule(dir);
    });
    w.on('addDir', (dir) => this.schedule(dir));
    w.on('unlinkDir', (dir) => this.schedule(dir));
    // Only the watcher in use decides: a polled one closing, or one on trial, must not undo a switch.
    w.on('error', (err) => {
      if (w === this.watcher) this.onError(err as NodeJS.ErrnoException);
    });
    return w;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.liveRetry) clearTimeout(this.liveRetry);
    await this.trial?.close();
    for (const t of this.dirTimers.values()) clearTimeout(t);
    for (const s of this.settling.values()) clearTimeout(s.timer);
    this.dirTimers.clear();
    this.settling.clear();
    await this.watcher?.close();
    // A reconcile under way still writes to the library: let it finish before the caller closes it.
    await Promise.allSettled([...this.running]);
    this.watcher = null;
  }

  /**
   * At most one reconcile per directory every `debounceMs`, never two at once: an event
   * storm (a card of 1,000 photos being copied) coalesces instead of postponing forever.
   */
  private schedule(dir: string): void {
    if (this.closed || !isInside(dir, this.root) || this.skipDir(dir)) return;
    if (this.dirTimers.has(dir)) return;
    if (this.reconciling.has(dir)) {
      this.dirty.add(dir);
      return;
    }
    const t = setTimeout(() => {
      this.dirTimers.delete(dir);
      this.reconciling.add(dir);
      const run = this.reconcile(dir)
        // After close the library may be gone: a late failure is not the folder's problem.
        .catch((err) => {
          if (!this.closed) this.ctx.problem(dir, 'folder', errnoReason(err, 'this folder'));
        })
        .finally(() => {
          this.reconciling.delete(dir);
          this.running.delete(run);
          if (this.dirty.delete(dir)) this.schedule(dir);
        });
      this.running.add(run);
    }, this.timings.debounceMs);
    this.dirTimers.set(dir, t);
  }

  /** Compares one directory with the library: new or changed files are ingested once stable, missing ones leave. */
  async reconcile(dir: string): Promise<void> {
    if (this.closed) return;
    let names: string[];
    const links = new Set<string>();
    let vanished = false;
    try {
      const entries = (await readdir(dir, { withFileTypes: true })).filter(
        (e) => !e.isDirectory() && isPhotoName(e.name),
      );
      for (const e of entries) if (e.isSymbolicLink()) links.add(e.name);
      names = entries.map((e) => e.name);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
      names = [];
      vanished = true;
    }
    if (this.closed) return;
    // Only a reachable root proves that files are deleted rather than unplugged.
    const folder = this.ctx.files.folder(this.folderId);
    if (!folder) return;
    if (!(await folderReachable(this.ctx, folder))) {
      this.ctx.goOffline(this.folderId);
      return;
    }
    const known = vanished ? new Map<string, FileStamp>() : this.ctx.files.stampsIn(dir);
    const present = new Set<string>();
    const devices: { path: string; dev: string }[] = [];
    const renumbered = new Map<string, string>();
    for (const name of names) {
      const path = join(dir, name);
      // A link counts only while it leads to a file inside the folder (the scanner's rule).
      if (links.has(name) && !(await realFileInside(this.root, path, { watched: true }))) continue;
      const found = await describe(path);
      if (!found) continue;
      present.add(path);
      const k = known.get(path);
      if (k && k.dev !== found.dev) {
        devices.push({ path, dev: found.dev });
        if (k.dev) renumbered.set(k.dev, found.dev);
      }
      if (k && k.size === found.size && k.mtime === found.mtime && !isRetryable(k.error)) continue;
      this.settle(found);
    }
    this.ctx.files.setDevices(devices);
    // A vanished directory takes its whole subtree with it; an existing one only its missing direct children.
    const gone = vanished
      ? this.ctx.files.filesUnder(dir)
      : [...known.entries()].filter(([p]) => !present.has(p)).map(([path, k]) => ({ path, dev: k.dev }));
    // Unless they were on a drive that is not mounted now: then they stay, offline.
    await forgetMissingFiles(this.ctx, this.folderId, gone, renumbered);
  }

  /** awaitWriteFinish, per file: ingest only when size and mtime stop moving. */
  private settle(found: FoundFile): void {
    const existing = this.settling.get(found.path);
    if (existing) {
      existing.last = found;
      return;
    }
    const check = async (): Promise<void> => {
      const entry = this.settling.get(found.path);
      if (!entry || this.closed) return;
      const now = await describe(found.path);
      if (!now) {
        this.settling.delete(found.path);
        return;
      }
      if (now.size === entry.last.size && now.mtime === entry.last.mtime) {
        this.settling.delete(found.path);
        this.ctx.queue.enqueue({ ...jobs.ingestFile(found.path, this.folderId), priority: Priority.newFile });
        return;
      }
      entry.last = now;
      entry.timer = setTimeout(() => void check(), this.timings.stableMs);
    };
    this.settling.set(found.path, {
      last: found,
      timer: setTimeout(() => void check(), this.timings.stableMs),
    });
  }

  /**
   * Out of inotify watches (ENOSPC) or file descriptors (EMFILE): poll this folder instead of
   * failing, and say so where the folder is listed (Settings) and in Activity.
   */
  private onError(err: NodeJS.ErrnoException): void {
    if (this.closed || this._polling || !isOutOfWatches(err)) return;
    this._polling = true;
    this._pollingReason = outOfWatchesMessage(
      err.code!,
      this.timings.pollIntervalMs,
      this.timings.liveRetryMs,
    );
    this.ctx.problem(this.root, 'watching', this._pollingReason);
    this.ctx.foldersChanged();
    const old = this.watcher;
    this.watcher = null;
    void old?.close().then(() => {
      if (this.closed) return;
      this.start();
      this.scheduleLiveRetry();
    });
  }

  private scheduleLiveRetry(): void {
    if (this.closed || this.liveRetry) return;
    this.liveRetry = setTimeout(() => {
      this.liveRetry = null;
      void this.tryLive();
    }, this.timings.liveRetryMs);
    this.liveRetry.unref();
  }

  /**
   * Opens a live watcher beside the polling one. If it sets up every directory's watch, it takes
   * over (no change is missed: both run until then) and the note goes. If the OS is still out of
   * watches, it is closed at its first refusal (so it holds the few free watches only briefly)
   * and tried again later; so is one whose set-up never ends (a directory walk that an EMFILE
   * stopped). A folder whose root is not there now is not tried: checkRoots handles it.
   */
  private async tryLive(): Promise<void> {
    if (this.closed || !this._pollingReason) return;
    const there = await stat(this.root).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (this.closed) return;
    if (!there) return this.scheduleLiveRetry();
    const trial = this.open(false);
    this.trial = trial;
    const outcome = await new Promise<'ready' | 'refused' | 'stuck'>((resolve) => {
      const stuck = setTimeout(() => resolve('stuck'), LIVE_TRIAL_LIMIT_MS);
      stuck.unref();
      trial.on('error', (err) => {
        if (!isOutOfWatches(err as NodeJS.ErrnoException)) return;
        clearTimeout(stuck);
        resolve('refused');
      });
      trial.once('ready', () => {
        clearTimeout(stuck);
        resolve('ready');
      });
    });
    this.trial = null;
    if (this.closed || outcome !== 'ready') {
      await trial.close();
      this.scheduleLiveRetry();
      return;
    }
    const polled = this.watcher;
    this.watcher = trial;
    this._polling = false;
    this._pollingReason = null;
    this.ctx.files.clearProblem(this.root, 'watching');
    this.ctx.foldersChanged();
    await polled?.close();
  }
}

/** How long a live watcher on trial may take to set up a folder's tree before it is given up. */
const LIVE_TRIAL_LIMIT_MS = 120_000;

function isOutOfWatches(err: NodeJS.ErrnoException): boolean {
  return err.code === 'ENOSPC' || err.code === 'EMFILE';
}
