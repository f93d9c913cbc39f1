// The preview thread (decision 0065): a new photo's one decode, its previews and its model input
// made in a worker thread give the same bytes as on the calling thread; errors come back with
// the message and errno code ingest decides by; a thread that dies or cannot start loses no work.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultManifestDir, findManifest, type ModelManifest } from '../../src/main/core/embed/manifest';
import { PREVIEW_THREAD_STOPPED, PreviewThread } from '../../src/main/core/ingest/preview-thread';
import { makePreviews, type PreviewRequest } from '../../src/main/core/ingest/previews';
import { PREVIEW_ENCODING, thumbFiles } from '../../src/main/core/ingest/thumbnails';
import { tempDir } from '../helpers/temp';
import { untilPreviewThreadReady } from './helpers';

const tmp = tempDir('komorebi-preview-thread-');
let manifest: ModelManifest;
let photo: string;
const threads: PreviewThread[] = [];

beforeAll(async () => {
  manifest = findManifest('mobilenet-v2-offline', defaultManifestDir());
  photo = join(tmp.dir, 'photo.jpg');
  await sharp({
    create: {
      width: 3000,
      height: 2000,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 120, sigma: 30 },
    },
  })
    .jpeg({ quality: 90 })
    .toFile(photo);
});
afterEach(async () => {
  await Promise.all(threads.splice(0).map((t) => t.close()));
});

function request(hash: string, thumbsDir = join(tmp.dir, 'thumbs'), source = photo): PreviewRequest {
  return {
    source,
    hash,
    thumbsDir,
    maxPixels: 268_402_689,
    encoding: PREVIEW_ENCODING,
    model: { manifest, original: { width: 3000, height: 2000 } },
  };
}

function thread(url?: URL): PreviewThread {
  const t = new PreviewThread(url);
  threads.push(t);
  return t;
}

/** A request answered by the thread itself (the first ones run here while it loads). */
async function once(t: PreviewThread, hashes: () => string) {
  await untilPreviewThreadReady(t, () => request(hashes()));
  const req = request(hashes());
  return { req, result: await t.make(req) };
}

describe('the preview thread', () => {
  it('writes the same previews and model input as the calling thread would', async () => {
    let n = 0;
    const t = thread();
    const { req, result } = await once(t, () => `aa${(n++).toString().padStart(62, '0')}`);
    const here = await makePreviews({ ...req, hash: `bb${'0'.repeat(62)}` });
    expect(result.format).toBe('jpeg');
    expect(result.rgb?.length).toBe(manifest.input.size * manifest.input.size * 3);
    expect(Buffer.from(result.rgb!).equals(Buffer.from(here.rgb!))).toBe(true);
    const mine = thumbFiles(req.thumbsDir, req.hash, 'jpeg');
    const theirs = thumbFiles(req.thumbsDir, `bb${'0'.repeat(62)}`, 'jpeg');
    expect(readFileSync(mine.large).equals(readFileSync(theirs.large))).toBe(true);
    expect(readFileSync(mine.small).equals(readFileSync(theirs.small))).toBe(true);
    expect((await sharp(mine.large).metadata()).width).toBe(1600);
  }, 60_000);

  it("answers a broken photo with sharp's message and a full disk with its errno code", async () => {
    let n = 0;
    const t = thread();
    await once(t, () => `cc${(n++).toString().padStart(62, '0')}`);
    const broken = join(tmp.dir, 'broken.jpg');
    writeFileSync(broken, readFileSync(photo).subarray(0, 20_000));
    const bad = await t.make(request(`dd${'0'.repeat(62)}`, join(tmp.dir, 'thumbs'), broken)).catch((e) => e);
    expect(bad).toBeInstanceOf(Error);
    expect(bad.code).toBeUndefined();
    expect(bad.message).toMatch(/premature end|truncat|corrupt/i);
    // A thumbs folder that cannot be made (a file stands where its parent should be).
    const blocked = join(tmp.dir, 'blocked');
    writeFileSync(blocked, 'not a folder');
    const full = await t.make(request(`ee${'0'.repeat(62)}`, join(blocked, 'thumbs'))).catch((e) => e);
    expect(full.code).toMatch(/^E[A-Z]+$/);
    expect(full.message).toContain('blocked');
  }, 60_000);

  it('fails the work a dying thread held with a retryable error, then starts a new thread', async () => {
    // A stand-in that loads, takes one request and dies with it, as a crash would.
    const dir = join(tmp.dir, 'dying');
    mkdirSync(dir, { recursive: true });
    const marker = join(dir, 'started-twice');
    const script = join(dir, 'worker.mjs');
    writeFileSync(
      script,
      `import { parentPort } from 'node:worker_threads';
       import { existsSync, writeFileSync } from 'node:fs';
       const again = existsSync(${JSON.stringify(`${marker}.1`)});
       writeFileSync(again ? ${JSON.stringify(marker)} : ${JSON.stringify(`${marker}.1`)}, '');
       parentPort.on('message', (m) => {
         if (m.type === 'close') process.exit(0);
         if (again) parentPort.postMessage({ id: m.id, ok: true, result: { format: 'jpeg' } });
         else process.exit(7);
       });
       parentPort.postMessage({ type: 'ready' });`,
    );
    const t = thread(pathToFileURL(script));
    let first: unknown;
    for (let i = 0; i < 200 && first === undefined; i++) {
      const r = await t.make(request(`ff${i.toString().padStart(62, '0')}`)).catch((e) => e);
      if (r instanceof Error) first = r;
      else await new Promise((res) => setTimeout(res, 25));
    }
    expect((first as NodeJS.ErrnoException).code).toBe(PREVIEW_THREAD_STOPPED);
    expect((first as Error).message).toMatch(/code 7/);
    // The next requests go to a new thread once it has loaded.
    let answered = false;
    for (let i = 0; i < 200 && !answered; i++) {
      await t.make(request(`ab${i.toString().padStart(62, '0')}`));
      answered = existsSync(marker) && (t as unknown as { ready: boolean }).ready;
      await new Promise((res) => setTimeout(res, 25));
    }
    expect(answered).toBe(true);
  }, 60_000);

  it('makes previews on the calling thread when the thread cannot start', async () => {
    const t = thread(pathToFileURL(join(tmp.dir, 'no-such-worker.mjs')));
    const results = [];
    for (let i = 0; i < 3; i++) {
      results.push(await t.make(request(`ac${i.toString().padStart(62, '0')}`)));
      await new Promise((res) => setTimeout(res, 100));
    }
    expect(results.every((r) => r.format === 'jpeg' && r.rgb)).toBe(true);
    expect(t.unavailable).toMatch(/did not start/);
  }, 60_000);
});
