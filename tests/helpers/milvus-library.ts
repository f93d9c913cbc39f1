// A real core on a real library beside a real Milvus Lite server the test starts, kills and
// restarts itself: what the Milvus fault tests share (killed while indexing, killed while the
// library switches stores). Photos are drawn scenes, the model is the offline one.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { buildOfflineModel } from '../../scripts/models/build-offline-model';
import { type Core, createCore, dataPaths } from '../../src/main/core/app';
import { openDatabase } from '../../src/main/core/library/db';
import { openMilvusStore } from '../../src/main/core/vectors/milvus';
import {
  freeLoopbackPort,
  type MilvusLiteServer,
  startMilvusLite,
} from '../../src/main/core/vectors/milvus-lite';
import type { VectorStoreStatus } from '../../src/shared/model';
import { drawScene } from '../embed/helpers';
import { waitUntilSettled } from './settle';
import { RecordingNotifier, tempDir } from './temp';

export const OFFLINE_MODEL = 'mobilenet-v2-offline';

export interface MilvusLibrary {
  core: Core;
  dataDir: string;
  photosDir: string;
  /** The secret store the core was given (the Milvus token lands here). */
  secrets: Map<string, string>;
  /** The Milvus Lite server the test runs (null while it is down). */
  lite: MilvusLiteServer | null;
  /** Its fixed port: a restarted server answers at the same URI. */
  port: number;
  startMilvus(): Promise<MilvusLiteServer>;
  /** SIGKILL, as the OS's out-of-memory killer or a crash would stop it. */
  killMilvus(): void;
  addPhotos(from: number, count: number): Promise<void>;
  waitForStatus(
    check: (s: VectorStoreStatus) => boolean,
    what: string,
    timeoutMs?: number,
  ): Promise<VectorStoreStatus>;
  /** The embeddings SQLite holds for the active model: hashes (sorted) and dimension. */
  sqliteIds(): { hashes: string[]; dim: number };
  /** Every id a Milvus server (default: the test's) holds for the model, listed by primary key (sorted). */
  milvusIds(uri?: string): Promise<string[]>;
  /** The photo the searches are made for: the first one listed once the library was indexed. */
  queryId: number;
  /** Find similar for `queryId`: hashes and scores (rounded to 1e-4), best first. */
  similar(): Promise<{ hash: string; score: number }[]>;
  close(): Promise<void>;
}

/** A library of `photos` indexed photos in the embedded store, and a Milvus Lite server up. */
export async function startMilvusLibrary(photos: number): Promise<MilvusLibrary> {
  buildOfflineModel();
  const photosTemp = tempDir('komorebi-photos-');
  const dataTemp = tempDir('komorebi-data-');
  const milvusTemp = tempDir('komorebi-milvus-');
  const secrets = new Map<string, string>();
  const addPhotos = async (from: number, count: number) => {
    for (let i = from; i < from + count; i++) {
      const jpeg = await sharp(await drawScene(500 + i, 320, 240))
        .jpeg()
        .toBuffer();
      writeFileSync(join(photosTemp.dir, `p-${i}.jpg`), jpeg);
    }
  };
  await addPhotos(0, photos);
  const port = await freeLoopbackPort();
  const lib: MilvusLibrary = {
    core: null as unknown as Core,
    dataDir: dataTemp.dir,
    photosDir: photosTemp.dir,
    secrets,
    lite: null,
    port,
    startMilvus: async () => {
      lib.lite = await startMilvusLite({ dataDir: milvusTemp.dir, port });
      return lib.lite;
    },
    killMilvus: () => {
      if (!lib.lite) throw new Error('Milvus Lite is not running');
      process.kill(lib.lite.pid, 'SIGKILL');
      lib.lite = null;
    },
    addPhotos,
    waitForStatus: async (check, what, timeoutMs = 60_000) => {
      const until = Date.now() + timeoutMs;
      let last: VectorStoreStatus | undefined;
      while (Date.now() < until) {
        last = await lib.core.handlers['vectors:status']({});
        if (check(last)) return last;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`Timed out waiting for ${what}; last status ${JSON.stringify(last)}`);
    },
    sqliteIds: () => {
      const db = openDatabase(dataPaths(lib.dataDir).database);
      try {
        const hashes = db
          .prepare('SELECT hash FROM embeddings WHERE model_id = ? ORDER BY hash')
          .pluck()
          .all(OFFLINE_MODEL) as string[];
        const dim = db.prepare('SELECT dim FROM embeddings LIMIT 1').pluck().get() as number;
        return { hashes, dim };
      } finally {
        db.close();
      }
    },
    milvusIds: async (uri = lib.lite?.uri) => {
      if (!uri) throw new Error('Milvus Lite is not running');
      const store = await openMilvusStore({
        connection: { uri },
        model: OFFLINE_MODEL,
        dimension: lib.sqliteIds().dim,
      });
      try {
        return (await store.ids()).sort();
      } finally {
        await store.close();
      }
    },
    queryId: 0,
    similar: async () => {
      const { hits } = await lib.core.handlers['photos:similar']({
        id: lib.queryId,
        k: 50,
        minScore: 0,
      });
      return hits.map((h) => ({ hash: h.photo.hash, score: Math.round(h.score * 1e4) / 1e4 }));
    },
    close: async () => {
      await lib.core?.close();
      await lib.lite?.stop();
      for (const t of [photosTemp, dataTemp, milvusTemp]) t.cleanup();
    },
  };
  await lib.startMilvus();
  lib.core = await createCore({
    dataDir: dataTemp.dir,
    shell: 'test',
    notifier: new RecordingNotifier(),
    secrets: {
      get: async (name) => secrets.get(name) ?? null,
      set: async (name, value) => {
        if (value === null) secrets.delete(name);
        else secrets.set(name, value);
      },
    },
  });
  await lib.core.handlers['folders:add']({ path: photosTemp.dir });
  await waitUntilSettled(lib.core);
  lib.queryId = (await lib.core.handlers['photos:list']({ offset: 0, limit: 1 })).items[0]!.id;
  return lib;
}
