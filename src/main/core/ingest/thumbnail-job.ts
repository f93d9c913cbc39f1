import { stat } from 'node:fs/promises';
import type { JobOf } from '../jobs/kinds';
import type { JobOutcome } from '../jobs/queue';
import { OUTSIDE_ROOT_REASON, realFileInside } from '../media';
import type { IngestContext } from './context';
import { describeDecodeError } from './image-info';
import { PREVIEW_THREAD_STOPPED } from './preview-thread';
import { type PreviewFormat, removeThumbnails } from './thumbnails';

/**
 * The 'thumbnail' job (key = hash): (re)makes a photo's thumbnails from any readable copy.
 * Ingest makes them inline for new photos; this job covers the rest (a thumbnail that
 * could not be written, a cleared cache, a retry from Activity).
 */
export async function makeThumbnailJob(ctx: IngestContext, job: JobOf<'thumbnail'>): Promise<JobOutcome> {
  const hash = job.key;
  const copy = ctx.files.sourceOf(hash);
  if (!copy) return { status: 'skipped', reason: 'No readable copy of this photo is in the library.' };
  const source = copy.path;
  const folder = ctx.files.folder(copy.folder_id);
  // Only a file inside its watched folder is read: a link retargeted outside is refused.
  const real = folder ? await realFileInside(folder.path, source, { watched: true }) : null;
  if (!real) {
    const there = await stat(source).then(
      () => true,
      () => false,
    );
    const reason = there
      ? OUTSIDE_ROOT_REASON
      : 'The photo file is gone (moved or deleted) since it was added.';
    ctx.files.setThumbState(hash, 'failed', reason);
    ctx.problem(source, 'thumbnail', reason);
    return { status: 'failed', reason };
  }
  let format: PreviewFormat;
  try {
    // In the preview thread, as for a new photo: a library whose previews are remade (a
    // cleared cache, a full disk that had stopped them) keeps its decodes off the main thread.
    const made = await ctx.makePreviews({
      source: real,
      hash,
      thumbsDir: ctx.thumbsDir,
      maxPixels: ctx.maxPixels,
      encoding: ctx.previews,
    });
    format = made.format;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // Nothing about the photo: the job is tried again (a transient failure), its previews stay pending.
    if (code === PREVIEW_THREAD_STOPPED) return { status: 'failed', reason: (err as Error).message };
    const reason = code
      ? `The thumbnail could not be written: ${(err as Error).message}`
      : describeDecodeError(err);
    ctx.files.setThumbState(hash, 'failed', reason);
    ctx.problem(source, 'thumbnail', reason);
    return { status: 'failed', reason };
  }
  ctx.files.thumbsDone(hash, format);
  await removeThumbnails(ctx.thumbsDir, hash, format); // WebP previews of an older version

  ctx.files.clearProblem(source, 'thumbnail');
  ctx.changes.note(copy.folder_id, { updated: 1 });
  return { status: 'done' };
}
