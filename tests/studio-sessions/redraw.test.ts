// Redraw one panel of a version, with each engine: only that panel changes, to the pixel.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dataPaths } from '../../src/main/core/app';
import type { ComicVersion, PageRect } from '../../src/shared/model';
import { expectConformingRequests } from '../studio/engine-setup';
import { OPTIONS, openHarness, type StudioHarness, waitForEnd } from './setup';

let h: StudioHarness;
let sessionId: number;

beforeAll(async () => {
  h = await openHarness();
  sessionId = (await h.call('studio:create', { photoIds: h.photos.map((p) => p.id) })).id;
}, 120_000);
afterEach(() => expectConformingRequests(h.fake));
afterAll(async () => {
  await h?.close();
});

const file = (v: ComicVersion) => join(dataPaths(h.dataDir).studio, v.image!.replace(/^studio\//, ''));

async function generate(prompt: string, parentVersionId?: number, region?: PageRect) {
  const before = h.fake.requests.length;
  const { versionIds } = await h.call('studio:generate', {
    id: sessionId,
    prompt,
    options: OPTIONS,
    parentVersionId,
    region,
  });
  const [end] = await waitForEnd(h.notifier, versionIds);
  expect(end!.state, end!.error ?? '').toBe('done');
  const session = (await h.call('studio:get', { id: sessionId }))!;
  const request = h.fake.requests.slice(before).find((r) => r.method === 'POST')!;
  return { version: session.versionList.find((v) => v.id === versionIds[0])!, request, session };
}

async function pixels(image: string | Buffer) {
  const { data, info } = await sharp(image).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

describe.each([['openai-images'], ['openai-responses']] as const)(
  'redrawing one panel with the %s engine',
  (engine) => {
    it('sends the page with a mask over the panel, and keeps every pixel outside it', async () => {
      await h.call('studio:settings', { engine });
      const { version: v1 } = await generate('A day at the beach');
      const cut = await h.call('studio:panels', { versionId: v1.id });
      expect(cut.method).toBe('gutters');
      const panel = cut.rects[1]!;

      // Previews are read as they are announced (they are removed once the page is done).
      const previews: Buffer[] = [];
      const emit = h.notifier.emit.bind(h.notifier);
      h.notifier.emit = (event, payload) => {
        const partial = event === 'studio:progress' ? (payload as { partial: string | null }).partial : null;
        if (partial)
          previews.push(readFileSync(join(dataPaths(h.dataDir).studio, partial.replace(/^studio\//, ''))));
        emit(event, payload);
      };
      const { version: v2, request } = await generate('Make the sky in this panel stormy', v1.id, panel);
      h.notifier.emit = emit;
      expect(v2).toMatchObject({ parentId: v1.id, region: panel, state: 'done' });
      expect(v2.costUsd).toBeGreaterThan(0);
      // What was sent: the parent's page first, and a mask exactly transparent over the panel.
      const page = await sharp(file(v1)).png().toBuffer();
      expect(request.images[0]!.equals(page)).toBe(true);
      const mask = await pixels(request.mask!);
      const inRect = (x: number, y: number) =>
        x >= panel.x && x < panel.x + panel.width && y >= panel.y && y < panel.y + panel.height;
      const before = await pixels(file(v1));
      const after = await pixels(file(v2));
      expect([after.width, after.height, mask.width, mask.height]).toEqual([
        before.width,
        before.height,
        before.width,
        before.height,
      ]);
      let changed = 0;
      for (let y = 0; y < before.height; y++) {
        for (let x = 0; x < before.width; x++) {
          const i = (y * before.width + x) * 4;
          if (mask.data[i + 3] !== (inRect(x, y) ? 0 : 255)) throw new Error(`mask alpha wrong at ${x},${y}`);
          const same = before.data.readUInt32BE(i) === after.data.readUInt32BE(i);
          if (!inRect(x, y) && !same) throw new Error(`pixel ${x},${y} outside the panel changed`);
          if (!same) changed++;
        }
      }
      expect(changed).toBeGreaterThan(panel.width * panel.height * 0.3);
      // The previews already show the parent's page with only the panel changing.
      expect(previews.length).toBeGreaterThan(0);
      for (const preview of previews) {
        const p = await pixels(preview);
        for (let y = 0; y < before.height; y += 7) {
          for (let x = 0; x < before.width; x += 7) {
            const i = (y * before.width + x) * 4;
            if (!inRect(x, y) && p.data.readUInt32BE(i) !== before.data.readUInt32BE(i)) {
              throw new Error(`preview pixel ${x},${y} outside the panel differs`);
            }
          }
        }
      }
      if (engine === 'openai-images')
        expect(request.files!.at(-1)).toMatchObject({ field: 'mask', filename: 'mask.png' });
      else expect(request.json!.previous_response_id).toBeUndefined();
      // The prompt names the panel.
      expect(JSON.stringify(request.json ?? request.fields)).toContain('Redraw only panel 2');
    });
  },
);

describe('a panel redraw that cannot be done', () => {
  it('is refused before anything is sent: no parent, or a sliver', async () => {
    const sent = h.fake.requests.length;
    await expect(
      h.call('studio:generate', {
        id: sessionId,
        prompt: 'x',
        options: OPTIONS,
        region: { x: 0, y: 0, width: 100, height: 100 },
      }),
    ).rejects.toThrow(/Pick the version whose panel should be redrawn/);
    const v = (await h.call('studio:get', { id: sessionId }))!.versionList.find((x) => x.state === 'done')!;
    await expect(
      h.call('studio:generate', {
        id: sessionId,
        prompt: 'x',
        options: OPTIONS,
        parentVersionId: v.id,
        region: { x: 10, y: 10, width: 4, height: 300 },
      }),
    ).rejects.toThrow(/too small/);
    expect(h.fake.requests.length).toBe(sent);
  });
});
