import type { ApiHandlers } from '../../../shared/api';
import type { LibraryStatus } from '../../../shared/model';
import type { EmbeddingPipeline } from '../embed/embed-jobs';
import { LibraryRequestError } from '../errors';
import type { LibraryIngest } from '../ingest';
import { jobs, Priority } from '../jobs/kinds';
import type { JobQueue } from '../jobs/queue';
import type { GalleryQueries } from '../library/gallery';
import type { CoreConfig } from '../ports';

type LibraryMethods =
  | 'app:info'
  | 'folders:add'
  | 'folders:remove'
  | 'folders:list'
  | 'folders:rescan'
  | 'folders:pick'
  | 'photos:list'
  | 'photos:timeline'
  | 'photos:get'
  | 'photos:visible'
  | 'library:status'
  | 'library:problems'
  | 'jobs:pause'
  | 'jobs:resume'
  | 'jobs:failed'
  | 'jobs:retry';

export interface LibraryServices {
  config: CoreConfig;
  queue: JobQueue;
  gallery: GalleryQueries;
  ingest: LibraryIngest;
  pipeline: EmbeddingPipeline;
}

export function libraryStatus({ ingest, gallery, queue }: LibraryServices): LibraryStatus {
  const folders = ingest.listFolders();
  return {
    ...gallery.counts(),
    folders: folders.length,
    offlineFolders: folders.filter((f) => f.status === 'offline').map((f) => ({ id: f.id, path: f.path })),
    problems: gallery.problems(0, 1).total,
    paused: queue.paused,
    jobs: queue.counts(),
    progress: queue.progress(),
    storageError: queue.storageError,
  };
}

export function libraryHandlers(s: LibraryServices): Pick<ApiHandlers, LibraryMethods> {
  const { config, queue, gallery, ingest, pipeline } = s;
  return {
    'app:info': async () => ({
      version: config.version ?? '0.0.0',
      dataDir: config.dataDir,
      shell: config.shell,
      canPickFolders: config.pickFolder !== undefined,
    }),
    'folders:add': async ({ path }) => ingest.addFolder(path),
    'folders:remove': async ({ id }) => {
      const known = ingest.listFolders().some((f) => f.id === id);
      if (known) await ingest.removeFolder(id);
      return { removed: known };
    },
    'folders:list': async () => ingest.listFolders(),
    'folders:rescan': async ({ id }) => {
      const folder = ingest.listFolders().find((f) => f.id === id);
      if (!folder)
        throw new LibraryRequestError('That folder is not watched any more. Refresh the list of folders.');
      ingest.rescan(id);
      return folder;
    },
    'folders:pick': async () => {
      if (!config.pickFolder) {
        throw new LibraryRequestError(
          'This window cannot open a folder picker: type the folder path instead.',
        );
      }
      return { path: await config.pickFolder() };
    },
    'photos:list': async ({ offset, limit, ...filter }) => gallery.list(filter, offset, limit),
    'photos:timeline': async (filter) => gallery.timeline(filter),
    'photos:get': async ({ id }) => gallery.get(id),
    'photos:visible': async ({ ids }) => {
      const hashes = ids.map((id) => gallery.get(id)?.hash).filter((h): h is string => !!h);
      queue.prioritise(hashes.map(jobs.thumbnail), Priority.visible);
      pipeline.prioritise(hashes);
      return { ok: true };
    },
    'library:status': async () => libraryStatus(s),
    'library:problems': async ({ offset, limit }) => gallery.problems(offset, limit),
    'jobs:pause': async () => {
      queue.pause();
      return libraryStatus(s);
    },
    'jobs:resume': async () => {
      queue.resume();
      return libraryStatus(s);
    },
    'jobs:failed': async ({ limit }) => ({
      items: queue
        .failedJobs(limit)
        .map((j) => ({ kind: j.kind, what: describeJob(j.kind, j.key), reason: j.reason })),
    }),
    'jobs:retry': async ({ kind }) => {
      queue.retryFailed(kind as Parameters<typeof queue.retryFailed>[0]);
      return libraryStatus(s);
    },
  };
}

/** A job's key in words: files by path, photos by a short hash, folders by id. */
function describeJob(kind: string, key: string): string {
  if (kind === 'ingest-file') return key;
  if (kind === 'scan-folder') return `watched folder ${key}`;
  const hash = key.includes(':') ? key.slice(key.lastIndexOf(':') + 1) : key;
  return `photo ${hash.slice(0, 12)}`;
}
