import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import trash from 'trash';
import type { ApiHandlers } from '../../shared/api';
import type { EventName, Events, Notifier } from '../../shared/events';
import { EmbeddingPipeline } from './embed/embed-jobs';
import { huggingFaceHubDir } from './embed/huggingface-cache';
import { defaultManifestDir } from './embed/manifest';
import { embeddingHandlers } from './handlers/embeddings';
import { libraryHandlers } from './handlers/library';
import { modelHandlers } from './handlers/models';
import { searchHandlers } from './handlers/search';
import { studioHandlers } from './handlers/studio';
import { trashHandlers } from './handlers/trash';
import { vectorStoreHandlers } from './handlers/vector-stores';
import { createLibraryIngest, PREVIEW_ENCODING, PreviewThread, WEBP_PREVIEWS } from './ingest';
import { jobs } from './jobs/kinds';
import { JobQueue } from './jobs/queue';
import { type DataDirLock, lockDataDir } from './library/data-dir-lock';
import { openDatabase } from './library/db';
import { GalleryQueries } from './library/gallery';
import { removeLeftoverTemps } from './library/leftovers';
import type { CoreConfig, MediaRoots } from './ports';
import { ProblemEvents } from './problem-events';
import { Redactor, redactedHandlers } from './redact';
import { SimilarPhotos } from './search/similar';
import { VectorIndex } from './search/vector-index';
import { createStudio } from './studio/studio-service';

export interface Core {
  handlers: ApiHandlers;
  mediaRoots(): MediaRoots;
  dataDir: string;
  /** Photos embedded from ingest's one decode, and from a decode of the file again (tests, benchmarks). */
  decodes(): { shared: number; again: number };
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
 * Wires the library, the job queue, ingest, embeddings and search into the handlers every
 * shell serves. Nothing here knows about Electron or HTTP.
 */
export async function createCore(config: CoreConfig): Promise<Core> {
  // First of all, before anything is written: one data directory, one process.
  const lock = config.dataDirLock ?? lockDataDir(config.dataDir, config.shell);
  try {
    return await openCore(config, lock);
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function openCore(config: CoreConfig, lock: DataDirLock): Promise<Core> {
  const paths = dataPaths(config.dataDir);
  removeLeftoverTemps(config.dataDir);
  for (const dir of [config.dataDir, paths.thumbs, paths.studio, paths.vectors, paths.models]) {
    mkdirSync(dir, { recursive: true });
  }
  const manifestDir = config.manifestDir ?? defaultManifestDir();

  // Library changes also wake the embedding sweep: the core listens to its own events.
  // Per-file problems are batched on their way out, for every shell (problem-events.ts).
  let onLibraryChanged = (_everything: boolean) => {};
  // Every key and token the core learns; no event, answer or thrown error carries one (redact.ts).
  const redactor = new Redactor();
  const problemEvents = new ProblemEvents(config.notifier);
  const notifier: Notifier = {
    emit<E extends EventName>(event: E, raw: Events[E]) {
      // Files written: a sweep of those. A folder scanned or back online: of everything, since
      // photos skipped while it was unreadable have no vector and no job, and unchanged rows.
      if (event === 'library:changed') onLibraryChanged(false);
      if (event === 'folders:changed') onLibraryChanged(true);
      const payload = redactor.value(raw);
      if (event === 'activity:problem') problemEvents.emit(payload as Events['activity:problem']);
      else config.notifier.emit(event, payload);
    },
  };

  let forgetVectors: (hashes: string[]) => void = () => {};
  const db = openDatabase(paths.database);
  const queue = new JobQueue(db, notifier, (text) => redactor.text(text));
  const gallery = new GalleryQueries(db);
  const decodeOnce = config.decodeOnce !== false;
  // Made before ingest: a new photo's one decode feeds its previews and the model's input.
  let pipeline: EmbeddingPipeline | undefined;
  // New photos are decoded in their own thread, away from the app's heap (decision 0065).
  const previewThread = config.previewWorkerUrl === null ? null : new PreviewThread(config.previewWorkerUrl);
  const ingest = createLibraryIngest({
    db,
    queue,
    notifier,
    dataDir: config.dataDir,
    thumbsDir: paths.thumbs,
    usePolling: config.usePolling,
    previews: decodeOnce ? PREVIEW_ENCODING : WEBP_PREVIEWS,
    newPhotos: decodeOnce
      ? {
          modelInput: () => pipeline?.inputs.wanted() ?? null,
          keepInput: (hash, modelId, rgb) => pipeline?.inputs.keep(hash, modelId, rgb),
          added: (hash, priority) => pipeline?.embedNew(hash, priority),
        }
      : undefined,
    makePreviews: previewThread ? (req) => previewThread.make(req) : undefined,
    // Photos gone for good (past the grace period that lets a move keep its identity).
    onPhotosForgotten: (hashes) => forgetVectors(hashes),
  });
  pipeline = new EmbeddingPipeline({
    db,
    queue,
    notifier,
    manifestDir,
    modelDirs: [paths.models, ...(config.modelDirs ?? [manifestDir])],
    workerUrl: config.embedWorkerUrl,
  });
  const index = new VectorIndex({
    db,
    secrets: config.secrets,
    redactor,
    notifier,
    dir: paths.vectors,
    activeModel: () => pipeline.activeModel(),
    // Once the active store holds a photo's vector (not before: a lookup that cannot see it
    // yet would miss the pair for good), its look-alikes are looked up once, at backlog
    // priority, for the Duplicates view.
    onSearchable: (hashes, modelId) =>
      queue.enqueueMany(
        hashes.map((hash) => jobs.findNeighbours(hash, modelId)),
        { onlyNew: true },
      ),
  });
  pipeline.onStored = (hashes, modelId) => index.enqueue(hashes, modelId);
  const similar = new SimilarPhotos(db, gallery, pipeline, index);
  forgetVectors = (hashes) => {
    similar.forget(hashes);
    for (const modelId of pipeline.forget(hashes)) index.enqueue(hashes, modelId, 'remove');
  };
  onLibraryChanged = (everything) => pipeline.scheduleSweep(everything);
  // After everything else: a new user's library is searchable sooner, and the look-alikes of a
  // first index are found in one sweep at its end (decision 0047).
  const lookAlikes = { label: 'Finding look-alikes', batchSize: 64, afterOthers: true };
  queue.registerBatch('find-neighbours', lookAlikes, async (jobs) => {
    const active = pipeline.activeModel()?.id;
    const mine = jobs.filter((j) => j.payload.modelId === active).map((j) => j.payload.hash);
    try {
      if (active) await similar.scanNeighbours(active, mine);
    } catch (error) {
      // The index is unavailable (a Milvus that is down): the Duplicates view looks these
      // photos up itself later; nothing to report per photo.
      const reason = `The vector index is unavailable: ${(error as Error).message}`;
      return jobs.map(() => ({ status: 'skipped' as const, reason }));
    }
    return jobs.map(() => ({ status: 'done' as const }));
  });
  const studio = await createStudio({
    db,
    gallery,
    notifier,
    studioDir: paths.studio,
    dataDir: config.dataDir,
    pickExportFolder: config.pickExportFolder,
    secrets: config.secrets,
    redactor,
  });

  const handlers: ApiHandlers = redactedHandlers(redactor, {
    ...libraryHandlers({ config, queue, gallery, ingest, pipeline }),
    ...modelHandlers({
      notifier,
      pipeline,
      index,
      manifestDir,
      modelsDir: paths.models,
      huggingFaceHub: config.huggingFaceHub ?? huggingFaceHubDir(),
    }),
    ...embeddingHandlers(pipeline),
    ...vectorStoreHandlers(index),
    ...searchHandlers(similar),
    ...trashHandlers({
      gallery,
      ingest,
      trashFiles: config.trashFiles ?? ((files) => trash(files, { glob: false })),
    }),
    ...studioHandlers(studio),
  });

  if (config.autoStart !== false) {
    queue.start();
    await ingest.start();
    pipeline.sweep();
    void index.open();
  }

  let closed = false;
  return {
    handlers,
    dataDir: config.dataDir,
    decodes: () => ({ ...pipeline.decodes }),
    mediaRoots: () => ({
      thumbs: paths.thumbs,
      studio: paths.studio,
      // Cheap: every thumbnail the gallery shows is one media request.
      folders: ingest.folderPaths(),
    }),
    close: async () => {
      if (closed) return;
      closed = true;
      await studio.close();
      await ingest.close();
      await queue.close();
      await previewThread?.close();
      await pipeline.close();
      await index.close();
      problemEvents.close();
      db.close();
      lock.release();
    },
  };
}
