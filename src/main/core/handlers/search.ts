import type { ApiHandlers } from '../../../shared/api';
import type { Notifier } from '../../../shared/events';
import type { EmbeddingPipeline } from '../embed/embed-jobs';
import type { Db } from '../library/db';
import type { SimilarPhotos } from '../search/similar';
import type { VectorIndex } from '../search/vector-index';

type SearchMethods =
  | 'embeddings:threads'
  | 'embeddings:cancel'
  | 'photos:similar'
  | 'photos:similar-to-many'
  | 'photos:duplicates'
  | 'photos:trash'
  | 'vectors:status'
  | 'vectors:configure'
  | 'vectors:test';

export interface SearchServices {
  db: Db;
  notifier: Notifier;
  pipeline: EmbeddingPipeline;
  index: VectorIndex;
  similar: SimilarPhotos;
  /** Moves files to the OS trash (Electron: shell.trashItem; elsewhere the `trash` package). */
  trashFiles: (paths: string[]) => Promise<void>;
}

export function searchHandlers(s: SearchServices): Pick<ApiHandlers, SearchMethods> {
  const { db, notifier, pipeline, index, similar } = s;
  return {
    'embeddings:threads': async ({ cpuThreads }) => {
      await pipeline.setThreads(cpuThreads);
      return pipeline.threads();
    },
    'embeddings:cancel': async () => ({ cancelled: pipeline.cancel() }),
    'photos:similar': async ({ id, ...q }) => similar.similar(id, q),
    'photos:similar-to-many': async ({ ids, ...q }) => similar.similarToMany(ids, q),
    'photos:duplicates': async ({ threshold, limit }) => ({
      groups: await similar.duplicates(threshold, limit),
    }),
    'photos:trash': async ({ ids }) => {
      const failed: { id: number; reason: string }[] = [];
      let trashed = 0;
      const find = db.prepare("SELECT path FROM files WHERE id = ? AND status = 'ok'").pluck();
      const forget = db.prepare('DELETE FROM files WHERE id = ?');
      for (const id of ids) {
        const path = find.get(id) as string | undefined;
        if (!path) {
          failed.push({ id, reason: 'This photo is no longer in the library.' });
          continue;
        }
        try {
          await s.trashFiles([path]);
          forget.run(id);
          trashed++;
        } catch (e) {
          failed.push({ id, reason: `Could not move ${path} to the trash: ${(e as Error).message}` });
        }
      }
      if (trashed > 0)
        notifier.emit('library:changed', { added: 0, removed: trashed, updated: 0, folderIds: [] });
      return { trashed, failed };
    },
    'vectors:status': async () => index.status(),
    'vectors:configure': async ({ config }) => index.configure(config),
    'vectors:test': async ({ config }) => index.test(config),
  };
}
