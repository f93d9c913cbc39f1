import { existsSync } from 'node:fs';
import type { ApiHandlers } from '../../../shared/api';
import type { LibraryIngest } from '../ingest';
import { checkBeforeTrash } from '../library/before-trash';
import type { GalleryQueries } from '../library/gallery';

export interface TrashServices {
  gallery: GalleryQueries;
  ingest: LibraryIngest;
  /** Moves files to the OS trash (Electron: shell.trashItem; elsewhere the `trash` package). */
  trashFiles: (paths: string[]) => Promise<void>;
}

/**
 * Moves the photos the user confirmed to the system Trash, one file at a time, and forgets
 * each one as a deleted file is forgotten (its problems go, its photo becomes an orphan).
 * Every file is checked first (before-trash.ts): one that changed since it was listed, lies
 * outside its watched folder, or is the same file on disk as a name the library keeps stays,
 * with the reason; so does a file that cannot be moved.
 */
export function trashHandlers(s: TrashServices): Pick<ApiHandlers, 'photos:trash'> {
  return {
    'photos:trash': async ({ ids, hashes }) => {
      const failed: { id: number; reason: string }[] = [];
      const requested = new Set(ids);
      const checked = [];
      for (const [i, id] of ids.entries()) {
        const check = await checkBeforeTrash(s.gallery, id, hashes?.[i], requested);
        if (check.ok) checked.push({ id, ...check });
        else failed.push({ id, reason: check.reason });
      }
      const trashed: string[] = [];
      const moved = new Set<string>();
      for (const { id, file, identity } of checked) {
        try {
          await s.trashFiles([file.path]);
          trashed.push(file.path);
          moved.add(identity);
        } catch (e) {
          // Another name of the same file, moved a moment ago (a folder mounted twice).
          if (moved.has(identity) && !existsSync(file.path)) trashed.push(file.path);
          else
            failed.push({ id, reason: `Could not move ${file.path} to the trash: ${(e as Error).message}` });
        }
      }
      s.ingest.forgetFiles(trashed);
      return { trashed: trashed.length, failed };
    },
  };
}
