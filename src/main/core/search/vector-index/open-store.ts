import { join } from 'node:path';
import { type StoreConfig, storeKey } from '../../../../shared/store-config';
import type { ModelManifest } from '../../embed/manifest';
import { type EmbeddedStoreOptions, openEmbeddedStoreInWorker } from '../../vectors/embedded';
import { openMilvusStore } from '../../vectors/milvus';
import type { MilvusLiteServer } from '../../vectors/milvus-lite';
import { keepMilvusLiteRunning } from '../../vectors/milvus-lite-keeper';
import type { VectorStore } from '../../vectors/port';
import type { VectorOutbox } from './outbox';
import type { MilvusConnection, StoreChoice } from './store-choice';

/** When the embedded store saves (tests widen the window a crash can fall into). */
export type EmbeddedSaving = Pick<EmbeddedStoreOptions, 'saveDelayMs' | 'maxSaveDelayMs'>;

/** A store opened for one model, with the outbox key its writes are queued under. */
export interface OpenStore {
  config: StoreConfig;
  key: string;
  model: string;
  store: VectorStore;
  /** The Milvus Lite server Komorebi started for this store, if it did. */
  lite: MilvusLiteServer | null;
}

/**
 * Opens the store a configuration names, for one model: the embedded store in its own
 * thread, a Milvus server, or a Milvus Lite server Komorebi starts itself, keeps running,
 * and stops again if the store cannot be opened on it.
 */
export async function openStore(
  config: StoreConfig,
  model: ModelManifest,
  deps: { dir: string; choice: StoreChoice; embedded?: EmbeddedSaving },
): Promise<OpenStore> {
  const base = { config, key: storeKey(config), model: model.id };
  if (config.kind === 'embedded') {
    // In its own thread: adding to the HNSW graph and saving it would stall the window's requests.
    const store = await openEmbeddedStoreInWorker({
      dir: join(deps.dir, 'embedded', model.id),
      model: model.id,
      dimension: model.output.dim,
      ...deps.embedded,
    });
    return { ...base, store, lite: null };
  }
  let lite: MilvusLiteServer | null = null;
  let connection: MilvusConnection;
  if (config.kind === 'milvus-lite') {
    // Started again if it dies: the switch or the outbox then goes on by itself.
    lite = await keepMilvusLiteRunning({ dataDir: join(deps.dir, 'milvus-lite') });
    connection = { uri: lite.uri, token: undefined, tls: false };
  } else {
    connection = await deps.choice.connection(config);
  }
  try {
    const store = await openMilvusStore({ connection, model: model.id, dimension: model.output.dim });
    return { ...base, store, lite };
  } catch (error) {
    await lite?.stop();
    throw error;
  }
}

/**
 * Closes a store (the embedded one saves as it closes, so what it had acknowledged is then
 * durable and leaves the outbox) and the Milvus Lite server Komorebi started for it.
 */
export async function closeStore(s: OpenStore, outbox?: VectorOutbox): Promise<void> {
  try {
    const marks = outbox && s.store.writeMarks ? await s.store.writeMarks() : null;
    await s.store.close();
    if (marks) outbox!.durable(s.key, s.model, marks.acknowledged);
  } catch {
    // Not saved: its sent rows are sent again when the store is next opened.
  }
  await s.lite?.stop().catch(() => undefined);
}
