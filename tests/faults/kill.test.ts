// The app process SIGKILLed at random moments during the first index of a library, ten times
// over; then it is let finish. Nothing may be lost, doubled or left half-done.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOfflineModel } from '../../scripts/models/build-offline-model';
import { tempDir } from '../helpers/temp';
import { checkLibrary } from './harness/invariants';
import { changedOriginals, checksums, random, writePhotoLibrary } from './harness/photos';
import { type CoreProcess, kill, startCore } from './harness/spawn';

const PHOTOS = Number(process.env.KOMOREBI_FAULTS_PHOTOS ?? 2000);
const KILLS = 10;
const SEED = Number(process.env.KOMOREBI_FAULTS_SEED ?? Date.now() % 100_000);

const photos = tempDir('komorebi-faults-photos-');
const data = tempDir('komorebi-faults-data-');
let expected: Map<string, string>;

beforeAll(async () => {
  buildOfflineModel();
  await writePhotoLibrary(photos.dir, PHOTOS);
  expected = checksums(photos.dir);
});
afterAll(() => {
  photos.cleanup();
  data.cleanup();
});

const sleep = (ms: number, core: CoreProcess) =>
  Promise.race([new Promise((r) => setTimeout(r, ms)), core.exited]);

describe(`SIGKILL during the first index (${PHOTOS} photos, seed ${SEED})`, () => {
  it('ten kills at random moments, then a clean finish: every invariant holds', async () => {
    const rnd = random(SEED);
    const dataDir = join(data.dir, 'data');
    const moments: string[] = [];
    for (let i = 0; i < KILLS; i++) {
      const core: CoreProcess = startCore(dataDir, photos.dir);
      const started = Date.now();
      // One kill in five lands while the core opens (migrations, resets, the vector index);
      // the others at a random moment of its work.
      if (rnd() < 0.2) await sleep(Math.floor(rnd() * 1500), core);
      else {
        await core.ready;
        await sleep(Math.floor(rnd() * 4000), core);
      }
      await kill(core);
      moments.push(`${Date.now() - started} ms after start: ${JSON.stringify(core.last() ?? 'opening')}`);
    }
    // The last start finishes by itself: work a kill hit waited until the rest was done and
    // then ran alone, so no kill from outside could set it aside (nobody presses Retry).
    const final = startCore(dataDir, photos.dir, { settle: true });
    const end = await final.exited;
    expect(end, final.output().stderr).toEqual({ code: 0, signal: null });
    expect(final.readyLine()?.setAside).toBe(0);
    const check = checkLibrary(dataDir, photos.dir, expected);
    console.log(`kill moments (seed ${SEED}):\n  ${moments.join('\n  ')}`);
    console.log(`after ${KILLS} kills: ${JSON.stringify({ ...check, violations: check.violations.length })}`);
    expect(check.violations).toEqual([]);
    expect(check.photos).toBe(PHOTOS);
    expect(changedOriginals(photos.dir, expected)).toEqual([]);
  });
});
