// The campaign's OpenAI fault through the whole app: the connection is cut in the middle of a
// streamed generation (every attempt, so the bounded retries run out). The session and every
// earlier version are intact, byte for byte; the failed version says what happened; the
// session draws again at once. The fake server follows OpenAI's OpenAPI description.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectConformingRequests } from '../studio/engine-setup';
import { OPTIONS, openHarness, type StudioHarness, waitForEnd } from './setup';

let h: StudioHarness;
beforeAll(async () => {
  h = await openHarness();
}, 120_000);
afterEach(() => expectConformingRequests(h.fake));
afterAll(async () => {
  await h?.close();
});

/** A page as the window names it (`studio/<session>/v<id>.png`), read from the data directory. */
const pageBytes = (image: string) => readFileSync(join(h.dataDir, ...image.split('/')));

describe('a connection cut in the middle of a streamed generation', () => {
  it('leaves the session and earlier versions intact, and the failed version says what happened', async () => {
    const { id } = await h.call('studio:create', { photoIds: h.photos.map((p) => p.id) });
    const drawn = [];
    for (const prompt of ['First page', 'Second page']) {
      const { versionIds } = await h.call('studio:generate', { id, prompt, options: OPTIONS });
      expect((await waitForEnd(h.notifier, versionIds))[0]!.state).toBe('done');
      drawn.push(versionIds[0]!);
    }
    const before = (await h.call('studio:get', { id }))!;
    const bytes = before.versionList.map((v) => pageBytes(v.image!));

    // Every attempt the engine makes (it retries a dropped stream, bounded) is cut.
    h.fake.failNext(...Array.from({ length: 8 }, () => 'drop-stream' as const));
    const { versionIds } = await h.call('studio:generate', {
      id,
      prompt: 'Cut off',
      options: OPTIONS,
      parentVersionId: drawn[1],
    });
    const [end] = await waitForEnd(h.notifier, versionIds);
    expect(end!.state).toBe('failed');
    // What it sent until then followed the description; the cuts it did not reach are dropped.
    expectConformingRequests(h.fake);
    await fetch(`${h.fake.baseURL.replace(/\/v1$/, '')}/__fake/reset`, { method: 'POST' });

    const after = (await h.call('studio:get', { id }))!;
    const failed = after.versionList.find((v) => v.id === versionIds[0])!;
    expect(failed).toMatchObject({ state: 'failed', prompt: 'Cut off', image: null });
    expect(failed.error).toMatch(/broke while the page was being drawn/);
    // The earlier versions are as they were, their pages unchanged.
    expect(after.versionList.filter((v) => v.id !== versionIds[0])).toEqual(before.versionList);
    expect(before.versionList.map((v) => pageBytes(v.image!))).toEqual(bytes);
    expect(after.title).toBe(before.title);

    // The session is free: the next press draws.
    const again = await h.call('studio:generate', { id, prompt: 'Again', options: OPTIONS });
    expect((await waitForEnd(h.notifier, again.versionIds))[0]!.state).toBe('done');
  });
});
