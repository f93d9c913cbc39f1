import { stat } from 'node:fs/promises';
import { hashFile } from '../ingest/hash';
import { realFileInside } from '../media';
import type { GalleryQueries, ListedFile } from './gallery';
import { fileIdentity } from './same-file';

export type TrashCheck = { ok: true; file: ListedFile; identity: string } | { ok: false; reason: string };

/**
 * Whether the file of photo `id` may go to the Trash: it must still be the photo the user
 * saw (the content hash the window listed, and on disk the size, date and content hash the
 * library lists), its real path must lie inside its watched folder, and no other name of the
 * same file on disk (a link, a hard link, a second mount) may stay in the library: that
 * "other copy" would be this very file. `requested`: every id being trashed with it.
 */
export async function checkBeforeTrash(
  gallery: GalleryQueries,
  id: number,
  seenHash: string | undefined,
  requested: Set<number>,
): Promise<TrashCheck> {
  const file = gallery.listed(id);
  if (!file) return { ok: false, reason: 'This photo is no longer in the library.' };
  const changed = {
    ok: false as const,
    reason: `${file.path} changed since it was listed: it is not the photo you saw, so it was not moved to the Trash. Look at it again (reload the view) before removing it.`,
  };
  if (seenHash !== undefined && seenHash !== file.hash) return changed;
  const real = await realFileInside(file.folder, file.path, { watched: true });
  if (!real) {
    return {
      ok: false,
      reason: `${file.path} is not inside the watched folder ${file.folder} now (a link that points elsewhere, or a folder that was moved or unmounted), so it was not moved to the Trash.`,
    };
  }
  const now = await stat(real).catch(() => null);
  if (!now || now.size !== file.size || Math.floor(now.mtimeMs) !== file.mtime) return changed;
  if ((await hashFile(real).catch(() => null)) !== file.hash) return changed;
  const identity = await fileIdentity(real);
  if (!identity) return changed;
  for (const other of gallery.copiesOf(file.hash)) {
    if (other.id === id || requested.has(other.id)) continue;
    if ((await fileIdentity(other.path)) === identity) {
      return {
        ok: false,
        reason: `${file.path} is the same file on disk as ${other.path} (a link, a hard link or a folder mounted twice), not a copy of it: moving it to the Trash would remove that one too, so it was not moved.`,
      };
    }
  }
  return { ok: true, file, identity };
}
