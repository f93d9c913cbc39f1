// A full disk (a small tmpfs as the data directory) and a read-only data directory: a clear
// error, nothing half-written, and the app recovers when space returns.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOfflineModel } from '../../scripts/models/build-offline-model';
import { tempDir } from '../helpers/temp';
import { canMount, runInNamespace } from './harness/namespace';
import { changedOriginals, checksums, writePhotoLibrary } from './harness/photos';

const COUNT = 300;
const photos = tempDir('komorebi-faults-disk-');
let before: Map<string, string>;

beforeAll(async () => {
  buildOfflineModel();
  await writePhotoLibrary(photos.dir, COUNT, 5000);
  before = checksums(photos.dir);
});
afterAll(() => photos.cleanup());

describe.runIf(canMount)('the data directory', () => {
  it('full: says so, writes nothing half, and catches up when space returns; read-only: refuses clearly', async () => {
    const result = await runInNamespace(join(import.meta.dirname, 'fixtures', 'full-disk.ts'), [
      photos.dir,
      String(COUNT),
    ]);
    console.log(JSON.stringify(result));
    expect(result).toMatchObject({
      fullSeen: true,
      fullMessage: expect.stringMatching(/full/i),
      brokenThumbs: 0,
      recovered: true,
      violations: [],
      photos: COUNT,
      readOnly: expect.stringMatching(/cannot open its data directory .*read-only/),
      photosAfter: COUNT,
    });
    expect(changedOriginals(photos.dir, before)).toEqual([]);
  });
});
