// The 'thumbnail' job remakes a photo's previews (a cleared cache, a full disk that had stopped
// them) the way ingest makes a new photo's: in the preview thread. A thread that stops under
// it is a failure outside the photo, so the job is tried again later, not failed for good.
import { existsSync, rmSync } from 'node:fs';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { PREVIEW_THREAD_STOPPED, PreviewThread } from '../../src/main/core/ingest/preview-thread';
import type { PreviewRequest, PreviewResult } from '../../src/main/core/ingest/previews';
import { PREVIEW_ENCODING, thumbFiles } from '../../src/main/core/ingest/thumbnails';
import { queueIdle } from '../helpers/queue';
import { openTestLibrary, startAndSettle, type TestLibrary, untilPreviewThreadReady } from './helpers';

let lib: TestLibrary | undefined;
const threads: PreviewThread[] = [];
afterEach(async () => {
  await lib?.close();
  lib = undefined;
  await Promise.all(threads.splice(0).map((t) => t.close()));
});

/** A library with one photo whose previews were made, then deleted and marked to be remade. */
async function libraryWithLostPreviews(): Promise<{ lib: TestLibrary; hash: string }> {
  const l = await openTestLibrary();
  await sharp({ create: { width: 900, height: 600, channels: 3, background: '#3a6' } })
    .jpeg()
    .toFile(`${l.photos}/meadow.jpg`);
  await l.ingest.addFolder(l.photos);
  await startAndSettle(l);
  const { hash, thumb_format: format } = l.db.prepare('SELECT hash, thumb_format FROM photos').get() as {
    hash: string;
    thumb_format: 'jpeg';
  };
  const files = thumbFiles(l.thumbsDir, hash, format);
  rmSync(files.large);
  rmSync(files.small);
  l.db.prepare("UPDATE photos SET thumb_state = 'pending'").run();
  return { lib: l, hash };
}

/** Until it has loaded, the thread runs requests on the calling thread: wait, so the worker does the job. */
async function untilThreadReady(thread: PreviewThread, root: string): Promise<void> {
  const source = `${root}/warm.jpg`;
  await sharp({ create: { width: 64, height: 64, channels: 3, background: '#888' } })
    .jpeg()
    .toFile(source);
  let i = 0;
  await untilPreviewThreadReady(thread, () => ({
    source,
    hash: `ee${(i++).toString().padStart(62, '0')}`,
    thumbsDir: `${root}/warm`,
    maxPixels: 1e8,
    encoding: PREVIEW_ENCODING,
  }));
  expect((thread as unknown as { ready: boolean }).ready).toBe(true);
}

describe('the thumbnail job', () => {
  it('remakes lost previews through the preview thread', async () => {
    const made = await libraryWithLostPreviews();
    lib = made.lib;
    const thread = new PreviewThread();
    threads.push(thread);
    await untilThreadReady(thread, lib.root);
    const asked: PreviewRequest[] = [];
    await lib.reopen({
      makePreviews: (req) => {
        asked.push(req);
        return thread.make(req);
      },
    });
    await lib.ingest.start(); // queues the photos whose previews are pending
    lib.queue.start();
    await queueIdle(lib.queue);
    expect(asked.map((r) => [r.hash, r.model])).toEqual([[made.hash, undefined]]);
    const files = thumbFiles(lib.thumbsDir, made.hash, 'jpeg');
    expect(existsSync(files.large) && existsSync(files.small)).toBe(true);
    expect(lib.db.prepare('SELECT thumb_state FROM photos').pluck().get()).toBe('done');
  }, 60_000);

  it('is tried again later when the preview thread stops under it', async () => {
    const made = await libraryWithLostPreviews();
    lib = made.lib;
    await lib.reopen({
      makePreviews: async (): Promise<PreviewResult> => {
        throw Object.assign(
          new Error('The preview thread stopped (it ended with code 7); the thumbnail is made again later.'),
          { code: PREVIEW_THREAD_STOPPED },
        );
      },
    });
    await lib.ingest.start();
    lib.queue.start();
    // The job goes back to pending with a time to run again (queueIdle would wait for that).
    const retry = lib.db.prepare(
      "SELECT state, run_after, error FROM jobs WHERE kind = 'thumbnail' AND run_after IS NOT NULL",
    );
    let job: { state: string; run_after: number; error: string } | undefined;
    for (let i = 0; i < 1200 && !job; i++) {
      job = retry.get() as typeof job;
      if (!job) await new Promise((r) => setTimeout(r, 25));
    }
    expect(job?.state).toBe('pending');
    expect(job!.run_after).toBeGreaterThan(Date.now());
    expect(job!.error).toMatch(/preview thread stopped/);
    // Nothing was wrong with the photo: its previews stay pending, and it is not listed as a problem.
    expect(lib.db.prepare('SELECT thumb_state FROM photos').pluck().get()).toBe('pending');
    expect(lib.db.prepare("SELECT count(*) FROM problems WHERE kind = 'thumbnail'").pluck().get()).toBe(0);
  }, 60_000);
});
