// Failures that say nothing about a photo heal by themselves: the embedding pool restarted
// with another thread count while batches were in flight, and a thumbnails folder that could
// not be written for a while. Afterwards every photo has its vector and its previews, and
// nothing is listed as failed. The whole core on real files, the offline real-weights model.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOfflineModel } from '../../scripts/models/build-offline-model';
import { createCore, dataPaths } from '../../src/main/core/app';
import { canMount, runInNamespace } from '../faults/harness/namespace';
import { writePhotoLibrary } from '../faults/harness/photos';
import { waitUntilSettled } from '../helpers/settle';
import { RecordingNotifier, tempDir } from '../helpers/temp';
import { healed } from './fixtures/_healed';

const PHOTOS = 80;
const photos = tempDir('komorebi-heal-photos-');
const cleanups: (() => void)[] = [photos.cleanup];

beforeAll(async () => {
  buildOfflineModel();
  await writePhotoLibrary(photos.dir, PHOTOS);
}, 120_000);
afterAll(() => {
  for (const c of cleanups) c();
});

describe('transient failures heal', () => {
  it('threads changed mid-embedding: every photo has its vector', async () => {
    const data = tempDir('komorebi-heal-threads-');
    cleanups.push(data.cleanup);
    const core = await createCore({ dataDir: data.dir, shell: 'test', notifier: new RecordingNotifier() });
    const db = new Database(dataPaths(data.dir).database, { readonly: true });
    const inFlight = db
      .prepare(
        `SELECT (SELECT count(*) FROM jobs WHERE kind = 'embed' AND state = 'running') AS running,
                (SELECT count(*) FROM embeddings) AS embedded`,
      )
      .bind();
    try {
      await core.handlers['folders:add']({ path: photos.dir });
      // The moment a batch is on its way through the pool after the first vectors came back.
      let seen = { running: 0, embedded: 0 };
      const until = Date.now() + 120_000;
      while (Date.now() < until) {
        seen = inFlight.get() as typeof seen;
        if (seen.running > 0 && seen.embedded > 0) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      const plan = await core.handlers['embeddings:threads']({ cpuThreads: 1 });
      expect(seen.running).toBeGreaterThan(0);
      expect(seen.embedded).toBeLessThan(PHOTOS);
      expect(plan).toEqual({ workers: 1, threadsPerWorker: 1 });
      await waitUntilSettled(core, { timeoutMs: 300_000 });
      expect((await core.handlers['jobs:failed']({ limit: 10 })).items).toEqual([]);
    } finally {
      db.close();
      await core.close();
    }
    expect(healed(data.dir)).toEqual({ photos: PHOTOS, withPreviews: PHOTOS, withVectors: PHOTOS });
  }, 300_000);

  it.runIf(canMount)(
    'a read-only thumbnails folder made writable: every thumbnail exists',
    async () => {
      const result = await runInNamespace(join(import.meta.dirname, 'fixtures', 'read-only-thumbs.ts'), [
        photos.dir,
      ]);
      expect(result).toMatchObject({
        refused: expect.stringMatching(/read-only file system/i),
        previewsWhileReadOnly: 0,
        failed: [],
        healed: { photos: PHOTOS, withPreviews: PHOTOS, withVectors: PHOTOS },
      });
    },
    300_000,
  );
});
