import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiHandlers } from '../../shared/api';
import type { LibraryStatus } from '../../shared/model';
import { createLibraryIngest } from './ingest';
import { JobQueue } from './jobs/queue';
import { openDatabase } from './library/db';
import { GalleryQueries } from './library/gallery';
import type { CoreConfig, MediaRoots } from './ports';

export interface Core {
  handlers: ApiHandlers;
  mediaRoots(): MediaRoots;
  dataDir: string;
  close(): Promise<void>;
}

/** Where each kind of data lives inside the data directory. */
export function dataPaths(dataDir: string) {
  return {
    database: join(dataDir, 'library.db'),
    thumbs: join(dataDir, 'thumbs'),
    studio: join(dataDir, 'studio'),
    vectors: join(dataDir, 'vectors'),
    models: join(dataDir, 'models'),
  };
}

/**
 * Wires the library, the job queue and ingest into the handlers every shell serves.
 * Nothing here knows about Electron or HTTP.
 */
export async function createCore(config: CoreConfig): Promise<Core> {
  const paths = dataPaths(config.dataDir);
  for (const dir of [config.dataDir, paths.thumbs, paths.studio]) mkdirSync(dir, { recursive: true });

  const db = openDatabase(paths.database);
  const queue = new JobQueue(db, config.notifier);
  const gallery = new GalleryQueries(db);
  const ingest = createLibraryIngest({
    db,
    queue,
    notifier: config.notifier,
    dataDir: config.dataDir,
    thumbsDir: paths.thumbs,
    usePolling: config.usePolling,
  });

  const status = (): LibraryStatus => {
    const folders = ingest.listFolders();
    return {
      ...gallery.counts(),
      folders: folders.length,
      offlineFolders: folders.filter((f) => f.status === 'offline').map((f) => ({ id: f.id, path: f.path })),
      problems: gallery.problems(0, 1).total,
      paused: queue.paused,
      jobs: queue.counts(),
      progress: queue.progress(),
    };
  };

  const handlers: ApiHandlers = {
    'app:info': async () => ({
      version: config.version ?? '0.0.0',
      dataDir: config.dataDir,
      shell: config.shell,
      canPickFolders: config.pickFolder !== undefined,
    }),
    'folders:add': async ({ path }) => ingest.addFolder(path),
    'folders:remove': async ({ id }) => ({ removed: await ingest.removeFolder(id) }),
    'folders:list': async () => ingest.listFolders(),
    'folders:rescan': async ({ id }) => ingest.rescan(id),
    'folders:pick': async () => {
      if (!config.pickFolder) {
        throw new Error('This window cannot open a folder picker: type the folder path instead.');
      }
      return { path: await config.pickFolder() };
    },
    'photos:list': async ({ offset, limit, ...filter }) => gallery.list(filter, offset, limit),
    'photos:timeline': async (filter) => gallery.timeline(filter),
    'photos:get': async ({ id }) => gallery.get(id),
    'library:status': async () => status(),
    'library:problems': async ({ offset, limit }) => gallery.problems(offset, limit),
    'jobs:pause': async () => {
      queue.pause();
      return status();
    },
    'jobs:resume': async () => {
      queue.resume();
      return status();
    },
  };

  if (config.autoStart !== false) {
    queue.start();
    await ingest.start();
  }

  let closed = false;
  return {
    handlers,
    dataDir: config.dataDir,
    mediaRoots: () => ({
      thumbs: paths.thumbs,
      studio: paths.studio,
      folders: new Map(ingest.listFolders().map((f) => [f.id, f.path])),
    }),
    close: async () => {
      if (closed) return;
      closed = true;
      await ingest.close();
      await queue.close();
      db.close();
    },
  };
}
