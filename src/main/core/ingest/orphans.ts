import type { Db } from '../library/db';
import { removeThumbnails } from './thumbnails';

/** Two weeks: long enough for a photo to be moved to a drive that is plugged in later. */
export const DEFAULT_ORPHAN_GRACE_MS = 14 * 24 * 3600 * 1000;

/**
 * Deletes photos that no file has pointed at for longer than the grace period, with their
 * thumbnails. A photo stays while any other table still needs it (a foreign key refuses
 * the delete) and while a comic uses it as a reference (its thumbnail and vector too: the
 * comic shows it, and its file may come back on a drive plugged in later). Never touches the user's files; callers drop derived data (embeddings,
 * vectors) for the hashes returned.
 */
export async function collectOrphans(
  db: Db,
  thumbsDir: string,
  graceMs: number,
  now = Date.now(),
): Promise<string[]> {
  db.prepare(
    `UPDATE photos SET orphaned_at = ? WHERE orphaned_at IS NULL
     AND NOT EXISTS (SELECT 1 FROM files WHERE files.hash = photos.hash)`,
  ).run(now);
  const due = (
    db
      .prepare(
        `SELECT hash FROM photos WHERE orphaned_at IS NOT NULL AND orphaned_at <= ?
         AND NOT EXISTS (SELECT 1 FROM files WHERE files.hash = photos.hash)
         AND NOT EXISTS (SELECT 1 FROM comic_references r WHERE r.hash = photos.hash)`,
      )
      .all(now - graceMs) as { hash: string }[]
  ).map((r) => r.hash);
  const del = db.prepare(
    'DELETE FROM photos WHERE hash = ? AND NOT EXISTS (SELECT 1 FROM files WHERE files.hash = photos.hash)',
  );
  const removed: string[] = [];
  for (const hash of due) {
    try {
      if (del.run(hash).changes === 0) continue;
    } catch {
      continue; // still referenced elsewhere (foreign key): keep it
    }
    removed.push(hash);
    await removeThumbnails(thumbsDir, hash);
  }
  return removed;
}
