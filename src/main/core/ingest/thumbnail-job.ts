import type { JobOf } from '../jobs/kinds';
import type { JobOutcome } from '../jobs/queue';
import type { IngestContext } from './context';
import { describeDecodeError } from './image-info';
import { makeThumbnails, type PreviewFormat, removeThumbnails } from './thumbnails';

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
  let format: PreviewFormat;
  try {
    format = await makeThumbnails(source, hash, ctx.thumbsDir, ctx.maxPixels, { encoding: ctx.previews });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
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
