import { stat } from 'node:fs/promises';
import { type JobOf, jobs } from '../jobs/kinds';
import type { JobOutcome } from '../jobs/queue';
import { OUTSIDE_ROOT_REASON, realFileInside } from '../media';
import { errnoReason, folderReachable, type IngestContext, isRetryable } from './context';
import { isHeicName } from './formats';
import { hashFile } from './hash';
import {
  describeDecodeError,
  HEIC_UNSUPPORTED,
  type ImageInfo,
  RejectedFile,
  readImageInfo,
} from './image-info';
import type { FolderRow } from './library-files';
import { forgetMissingFiles } from './mounts';
import type { PreviewFormat } from './thumbnails';

/**
 * The 'ingest-file' job (key = path): hash the bytes; a known hash just gains a file (that
 * is how a moved or renamed photo keeps its identity, vector and comics); a new hash is
 * read (header + EXIF), decoded once into its thumbnails (which also proves the pixels are
 * whole), and inserted with its file in one transaction.
 */
export async function ingestFile(ctx: IngestContext, job: JobOf<'ingest-file'>): Promise<JobOutcome> {
  const path = job.key;
  const folderId = job.payload.folderId;
  const folder = ctx.files.folder(folderId);
  if (!folder) return { status: 'skipped', reason: 'The folder is no longer watched.' };

  let s: Awaited<ReturnType<typeof stat>>;
  try {
    s = await stat(path);
  } catch (err) {
    return gone(ctx, folderId, folder, path, err);
  }
  const f = {
    folderId,
    path,
    size: s.isFile() ? s.size : 0,
    mtime: Math.floor(s.mtimeMs),
    dev: String(s.dev),
  };
  if (!s.isFile())
    return reject(
      ctx,
      f,
      'bad',
      'Not a regular file (a pipe, socket or device named like a photo): it cannot be read as a photo',
    );
  if (s.size === 0) return rejectContent(ctx, job, f, 'bad', 'The file is empty (0 bytes)');
  // Checked again where the bytes are read (the scan checked it too): a link swapped since then
  // must not bring a file from outside the folder in. What is read is that real path.
  const source = await realFileInside(folder.path, path, { watched: true });
  if (!source) return reject(ctx, f, 'bad', OUTSIDE_ROOT_REASON);

  const known = ctx.files.file(path);
  if (
    known &&
    known.size === f.size &&
    known.mtime === f.mtime &&
    !isRetryable(known.error) &&
    (known.status !== 'ok' || (known.hash && ctx.files.photoExists(known.hash)))
  ) {
    return { status: 'skipped', reason: 'Unchanged.' };
  }

  let hash: string;
  try {
    hash = await hashFile(source);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return gone(ctx, folderId, folder, path, err);
    return reject(ctx, f, 'bad', errnoReason(err, 'this file'));
  }
  if (await changedSince(source, f)) {
    // Still being written: look again shortly instead of storing half a photo.
    setTimeout(
      () => ctx.closing || ctx.queue.enqueue({ ...jobs.ingestFile(path, folderId), priority: job.priority }),
      500,
    ).unref();
    return { status: 'skipped', reason: 'The file is still being written.' };
  }

  if (ctx.files.photoExists(hash)) return link(ctx, { ...f, hash }, null);

  let info: ImageInfo;
  try {
    info = await readImageInfo(source, ctx.maxPixels);
  } catch (err) {
    if (err instanceof RejectedFile) return rejectContent(ctx, job, f, err.status, err.message);
    throw err;
  }
  let thumbState: 'done' | 'pending' = 'done';
  let thumbFormat = ctx.previews.format;
  const hooks = ctx.newPhotos;
  const original = orientedSize(info);
  try {
    const manifest = hooks?.modelInput();
    const made = await ctx.makePreviews({
      source,
      hash,
      thumbsDir: ctx.thumbsDir,
      maxPixels: ctx.maxPixels,
      encoding: ctx.previews,
      model: manifest ? { manifest, original } : undefined,
    });
    thumbFormat = made.format;
    if (manifest && made.rgb) hooks?.keepInput(hash, manifest.id, made.rgb);
  } catch (err) {
    if (isDecodeError(err)) {
      if (isHeicName(path) || info.format === 'heif') return reject(ctx, f, 'unsupported', HEIC_UNSUPPORTED);
      return rejectContent(ctx, job, f, 'bad', describeDecodeError(err));
    }
    // Disk full or thumbs folder unwritable: keep the photo, retry its thumbnail as a job.
    thumbState = 'pending';
    ctx.problem(path, 'thumbnail', `The thumbnail could not be written: ${(err as Error).message}`);
  }
  if (!ctx.files.folder(folderId)) return { status: 'skipped', reason: 'The folder is no longer watched.' };
  const outcome = link(ctx, { ...f, hash }, { ...info, thumbState, thumbFormat });
  if (thumbState === 'pending') ctx.queue.enqueue({ ...jobs.thumbnail(hash), priority: job.priority });
  hooks?.added(hash, job.priority);
  return outcome;
}

function link(
  ctx: IngestContext,
  f: { folderId: number; path: string; hash: string; size: number; mtime: number; dev?: string },
  photo: (ImageInfo & { thumbState: 'pending' | 'done'; thumbFormat: PreviewFormat }) | null,
): JobOutcome {
  const change = ctx.files.linkFile(f, photo);
  ctx.changes.note(f.folderId, { [change]: 1 });
  return { status: 'done' };
}

/** A verdict on the bytes: deferred while the file is fresh, since it may still be arriving. */
function rejectContent(
  ctx: IngestContext,
  job: JobOf<'ingest-file'>,
  f: { folderId: number; path: string; size: number; mtime: number; dev?: string },
  status: 'bad' | 'unsupported',
  reason: string,
): JobOutcome {
  const wait = f.mtime + ctx.freshWriteMs - Date.now();
  if (status === 'bad' && wait > 0) {
    setTimeout(
      () =>
        ctx.closing ||
        ctx.queue.enqueue({ ...jobs.ingestFile(f.path, job.payload.folderId), priority: job.priority }),
      wait + 50,
    ).unref();
    return { status: 'skipped', reason: 'Modified moments ago: judged again once the file has settled.' };
  }
  return reject(ctx, f, status, reason);
}

function reject(
  ctx: IngestContext,
  f: { folderId: number; path: string; size: number; mtime: number; dev?: string },
  status: 'bad' | 'unsupported',
  reason: string,
): JobOutcome {
  if (!ctx.files.folder(f.folderId)) return { status: 'skipped', reason: 'The folder is no longer watched.' };
  const wasShown = ctx.files.rejectFile(f, status, reason);
  ctx.notifier.emit('activity:problem', { path: f.path, kind: 'file', reason });
  if (wasShown) ctx.changes.note(f.folderId, { removed: 1 });
  return { status: 'done' };
}

/** A vanished file leaves the library, unless its whole folder vanished (then it is offline). */
async function gone(
  ctx: IngestContext,
  folderId: number,
  folder: FolderRow,
  path: string,
  err: unknown,
): Promise<JobOutcome> {
  const code = (err as NodeJS.ErrnoException).code;
  if (code !== 'ENOENT' && code !== 'ENOTDIR') {
    return reject(ctx, { folderId, path, size: 0, mtime: Date.now() }, 'bad', errnoReason(err, 'this file'));
  }
  if (!(await folderReachable(ctx, folder))) {
    ctx.goOffline(folderId);
    return { status: 'skipped', reason: 'The folder is offline.' };
  }
  const known = ctx.files.file(path);
  if (known) await forgetMissingFiles(ctx, folderId, [known]);
  return { status: 'done' };
}

async function changedSince(path: string, f: { size: number; mtime: number }): Promise<boolean> {
  const now = await stat(path).catch(() => null);
  return !now || now.size !== f.size || Math.floor(now.mtimeMs) !== f.mtime;
}

/** EXIF orientations 5-8 turn the picture a quarter: width and height swap. */
function orientedSize(info: ImageInfo): { width: number; height: number } {
  const turned = (info.orientation ?? 1) >= 5;
  return turned ? { width: info.height, height: info.width } : { width: info.width, height: info.height };
}

function isDecodeError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  if (code && /^E[A-Z]+$/.test(code)) return false; // a file-system error writing the thumbnail
  return true;
}
