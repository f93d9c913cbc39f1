import type { ApiHandlers } from '../../../shared/api';
import type { LibraryIngest } from '../ingest';
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
 * A file that cannot be moved stays, with the reason.
 */
export function trashHandlers(s: TrashServices): Pick<ApiHandlers, 'photos:trash'> {
  return {
    'photos:trash': async ({ ids }) => {
      const failed: { id: number; reason: string }[] = [];
      const trashed: string[] = [];
      for (const id of ids) {
        const path = s.gallery.path(id);
        if (!path) {
          failed.push({ id, reason: 'This photo is no longer in the library.' });
          continue;
        }
        try {
          await s.trashFiles([path]);
          trashed.push(path);
        } catch (e) {
          failed.push({ id, reason: `Could not move ${path} to the trash: ${(e as Error).message}` });
        }
      }
      s.ingest.forgetFiles(trashed);
      return { trashed: trashed.length, failed };
    },
  };
}
