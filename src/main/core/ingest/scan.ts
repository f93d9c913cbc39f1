import { stat } from 'node:fs/promises';
import { type JobRequest, jobs, Priority } from '../jobs/kinds';
import type { JobOutcome } from '../jobs/queue';
import { errnoReason, folderReachable, type IngestContext, isRetryable } from './context';
import { isInside, makeFolderFilter } from './formats';
import { forgetMissingFiles } from './mounts';
import { walkPhotos } from './walk';

const BATCH = 200;

/**
 * The 'scan-folder' job: walks the folder, queues every new or changed photo file (size or
 * mtime differs from the library) and forgets files that are gone. Idempotent, so a scan
 * cut short by a quit simply runs again at the next start: unchanged files are skipped and
 * one live job per path means nothing is queued twice.
 */
export async function scanFolder(ctx: IngestContext, folderId: number): Promise<JobOutcome> {
  const folder = ctx.files.folder(folderId);
  if (!folder) return { status: 'skipped', reason: 'The folder is no longer watched.' };
  if (!(await folderReachable(ctx, folder))) {
    ctx.goOffline(folderId);
    return { status: 'skipped', reason: 'The folder is offline.' };
  }
  const rootDev = String((await stat(folder.path)).dev);
  if (ctx.files.setFolderStatus(folderId, 'scanning')) ctx.foldersChanged();
  ctx.files.clearFolderProblemsUnder(folder.path);

  const known = ctx.files.fileStamps(folderId);
  const seen = new Set<string>();
  const unreadable: { dir: string; err: NodeJS.ErrnoException; what: 'folder' | 'file' }[] = [];
  const devices: { path: string; dev: string }[] = [];
  const renumbered = new Map<string, string>();
  let batch: JobRequest[] = [];
  const walk = walkPhotos(folder.path, {
    skipDir: makeFolderFilter(folder.path, ctx.dataDir),
    onUnreadable: (dir, err, what = 'folder') => unreadable.push({ dir, err, what }),
  });
  try {
    for await (const f of walk) {
      if (ctx.closing) {
        // Stay in line: the job row goes back to pending and this scan resumes at the next start.
        ctx.queue.enqueue({ ...jobs.scanFolder(folderId), priority: Priority.scan });
        return { status: 'skipped', reason: 'Interrupted by quitting; resumes at the next start.' };
      }
      seen.add(f.path);
      const k = known.get(f.path);
      if (k && k.dev !== f.dev) {
        devices.push({ path: f.path, dev: f.dev });
        if (k.dev) renumbered.set(k.dev, f.dev);
      }
      if (k && k.size === f.size && k.mtime === f.mtime && !isRetryable(k.error)) continue;
      batch.push({ ...jobs.ingestFile(f.path, folderId), priority: Priority.scan });
      if (batch.length >= BATCH) {
        ctx.queue.enqueueMany(batch);
        batch = [];
      }
    }
  } catch (err) {
    if (!(await folderReachable(ctx, folder))) {
      ctx.goOffline(folderId);
      return { status: 'skipped', reason: 'The folder went offline during the scan.' };
    }
    throw err;
  }
  ctx.queue.enqueueMany(batch);

  // Only a reachable root proves that a missing file was deleted, not just unplugged.
  if (!(await folderReachable(ctx, folder)) || !ctx.files.folder(folderId)) {
    if (ctx.files.folder(folderId)) ctx.goOffline(folderId);
    return { status: 'skipped', reason: 'The folder went offline during the scan.' };
  }
  // Reported only now: a drive unplugged mid-scan makes every folder unreadable, which is one offline folder, not N problems.
  for (const { dir, err, what } of unreadable) {
    const reason = errnoReason(err, what === 'file' ? 'this file' : 'this subfolder');
    const kept = what === 'folder' && err.code !== 'ETOODEEP';
    ctx.problem(dir, what, kept ? `${reason} Its photos are kept but not updated.` : reason);
  }
  ctx.files.setDevices(devices);
  const gone = [...known.entries()]
    .filter(([p]) => !seen.has(p) && !unreadable.some((u) => isInside(p, u.dir)))
    .map(([path, k]) => ({ path, dev: k.dev }));
  // A file on a drive that is not mounted now stays (offline); if the root itself was that drive, the folder is offline.
  const { rootOffline } = await forgetMissingFiles(ctx, folderId, gone, renumbered);
  if (rootOffline) return { status: 'skipped', reason: 'The folder is offline.' };
  ctx.files.scanFinished(folderId, rootDev);
  ctx.foldersChanged();
  return { status: 'done' };
}
