import type { LibraryFiles } from './library-files';
import { removeThumbnails } from './thumbnails';

/** Two weeks: long enough for a photo to be moved to a drive that is plugged in later. */
export const DEFAULT_ORPHAN_GRACE_MS = 14 * 24 * 3600 * 1000;

/**
 * Deletes photos that no file has pointed at for longer than the grace period, with their
 * thumbnails. A photo stays while any other table still needs it (a foreign key refuses
 * the delete) and while a comic uses it as a reference (its thumbnail and vector too: the
 * comic shows it, and its file may come back on a drive plugged in later). Never touches the user's files; callers drop derived data (embeddings,
 * vectors, look-alike pairs) for the hashes returned.
 */
export async function collectOrphans(
  files: LibraryFiles,
  thumbsDir: string,
  graceMs: number,
  now = Date.now(),
): Promise<string[]> {
  const removed: string[] = [];
  for (const hash of files.orphansDue(now - graceMs, now)) {
    if (!files.deleteOrphan(hash)) continue;
    removed.push(hash);
    await removeThumbnails(thumbsDir, hash);
  }
  return removed;
}
