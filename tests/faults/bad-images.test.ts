// Bad and unusual images through the whole app (ingest, thumbnails, embedding, index) in
// its own process: each is indexed correctly or listed with a reason, none stops the
// pipeline or the process, and eight 16,000 x 16,000 PNGs at once keep memory bounded.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOfflineModel } from '../../scripts/models/build-offline-model';
import { dataPaths } from '../../src/main/core/app';
import { thumbFiles } from '../../src/main/core/ingest';
import type { PreviewFormat } from '../../src/main/core/ingest/thumbnails';
import { tempDir } from '../helpers/temp';
import { type BadImage, badImages, bigOrientedPngs } from './harness/bad-images';
import { changedOriginals, checksums, writePhotoLibrary } from './harness/photos';
import { startCore } from './harness/spawn';

/** Peak memory allowed for the whole app while it indexes the eight big PNGs (MB). */
const MEMORY_BOUND_MB = 1500; // measured 1,031 MB (3,686 MB before large images were shrunk first)

const photos = tempDir('komorebi-faults-bad-');
const data = tempDir('komorebi-faults-bad-data-');
let images: BadImage[];
let before: Map<string, string>;

beforeAll(async () => {
  buildOfflineModel();
  images = [...(await badImages()), ...(await bigOrientedPngs())];
  mkdirSync(join(photos.dir, 'odd'), { recursive: true });
  for (const image of images) writeFileSync(join(photos.dir, 'odd', image.name), image.bytes);
  await writePhotoLibrary(join(photos.dir, 'fine'), 6);
  before = checksums(photos.dir);
});
afterAll(() => {
  photos.cleanup();
  data.cleanup();
});

describe('bad images', () => {
  it('each is indexed or listed with a reason; the pipeline and the process go on; memory stays bounded', async () => {
    const dataDir = join(data.dir, 'data');
    const core = startCore(dataDir, photos.dir, { settle: true });
    expect(await core.exited, core.output().stderr).toEqual({ code: 0, signal: null });
    const { maxRssMb } = core.settled() as { maxRssMb: number };
    console.log(`peak memory while indexing ${images.length} odd images: ${maxRssMb} MB`);

    const db = new Database(dataPaths(dataDir).database, { readonly: true });
    try {
      const file = db.prepare('SELECT status, error, hash FROM files WHERE path = ?');
      const problem = db.prepare("SELECT reason FROM problems WHERE path = ? AND kind = 'file'").pluck();
      const embedded = db.prepare('SELECT count(*) FROM embeddings WHERE hash = ?').pluck();
      const previewFormat = db.prepare('SELECT thumb_format FROM photos WHERE hash = ?').pluck();
      const outcomes: Record<string, string> = {};
      for (const image of images) {
        const path = join(photos.dir, 'odd', image.name);
        const row = file.get(path) as
          | { status: string; error: string | null; hash: string | null }
          | undefined;
        if (image.expect === 'ok') {
          outcomes[image.name] =
            row?.status === 'ok' && embedded.get(row.hash) === 1
              ? 'ok'
              : `not indexed: ${JSON.stringify(row)}`;
          if (image.upright && row?.hash) {
            const m = await sharp(
              thumbFiles(dataPaths(dataDir).thumbs, row.hash, previewFormat.get(row.hash) as PreviewFormat)
                .large,
            ).metadata();
            if (m.width !== image.upright.width || m.height !== image.upright.height)
              outcomes[image.name] = `thumbnail ${m.width} x ${m.height}, not upright`;
          }
        } else {
          const reason = problem.get(path) as string | undefined;
          outcomes[image.name] =
            reason && image.reason?.test(reason) ? 'listed' : `not listed as expected: ${reason}`;
        }
      }
      expect(outcomes).toEqual(
        Object.fromEntries(images.map((i) => [i.name, i.expect === 'ok' ? 'ok' : 'listed'])),
      );
      // The ordinary photos beside them went through too.
      expect(
        db.prepare("SELECT count(*) FROM files WHERE path LIKE '%/fine/%' AND status = 'ok'").pluck().get(),
      ).toBe(6);
      expect(db.prepare('SELECT count(*) FROM jobs').pluck().get()).toBe(0);
    } finally {
      db.close();
    }
    expect(maxRssMb).toBeLessThan(MEMORY_BOUND_MB);
    expect(changedOriginals(photos.dir, before)).toEqual([]);
  });
});
