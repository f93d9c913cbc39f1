// Panels, export, rename and delete of generated pages, through the core's handlers.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { unzipSync } from 'fflate';
import { PDFDocument } from 'pdf-lib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dataPaths } from '../../src/main/core/app';
import { tempDir } from '../helpers/temp';
import { expectConformingRequests } from '../studio/engine-setup';
import { OPTIONS, openHarness, type StudioHarness, waitForEnd } from './setup';

let h: StudioHarness;
let out: ReturnType<typeof tempDir>;
let sessionId: number;
let page: number;

async function draw(prompt: string, options = OPTIONS): Promise<number> {
  const { versionIds } = await h.call('studio:generate', { id: sessionId, prompt, options });
  const [end] = await waitForEnd(h.notifier, versionIds);
  expect(end!.state).toBe('done');
  return versionIds[0]!;
}

beforeAll(async () => {
  h = await openHarness();
  out = tempDir('komorebi-studio-export-');
  sessionId = (await h.call('studio:create', { photoIds: h.photos.map((p) => p.id), title: 'Beach: day/1' }))
    .id;
  page = await draw('A day at the beach');
  // No folder picker here (browser mode): the user typed this folder and confirmed it.
  await h.call('studio:confirm-folder', { path: out.dir, confirmed: true });
}, 120_000);

afterEach(() => expectConformingRequests(h.fake));

afterAll(async () => {
  await h?.close();
  out?.cleanup();
});

describe('Comic Studio panels and export', () => {
  it('finds the four panels of a 2x2 page by its gutters', async () => {
    const cut = await h.call('studio:panels', { versionId: page });
    expect(cut).toMatchObject({
      versionId: page,
      width: 1024,
      height: 1024,
      method: 'gutters',
      reason: null,
    });
    expect(cut.rects).toHaveLength(4);
    // Reading order: left to right, top to bottom.
    const [a, b, c, d] = cut.rects;
    expect(a!.x).toBeLessThan(b!.x);
    expect(a!.y).toBe(b!.y);
    expect(c!.y).toBeGreaterThan(a!.y);
    expect(d!.x).toBeGreaterThan(c!.x);
  });

  it('falls back to the layout it asked for when the gutters are crossed', async () => {
    h.fake.failNext('noisy');
    const noisy = await draw('Chaos', { ...OPTIONS, panels: 3, arrangement: 'strip' });
    const cut = await h.call('studio:panels', { versionId: noisy });
    expect(cut.method).toBe('layout');
    expect(cut.rects).toHaveLength(3);
    expect(cut.reason).toBeTruthy();
  });

  it('exports the page, its panels, a PDF and a CBZ, and refuses to overwrite them', async () => {
    const folder = join(out.dir, 'new', 'comics'); // created on the way
    const { files } = await h.call('studio:export', {
      versionIds: [page],
      formats: ['page', 'panels', 'pdf', 'cbz'],
      folder,
    });
    expect(files).toHaveLength(1 + 4 + 1 + 1);
    for (const f of files) expect(existsSync(f)).toBe(true);
    expect(readdirSync(folder).sort()).toEqual(files.map((f) => basename(f)).sort());
    expect(files.filter((f) => f.endsWith('.png'))).toHaveLength(5);
    expect(files.some((f) => basename(f).startsWith('Beach day-1 - v1'))).toBe(true);

    const pdf = await PDFDocument.load(readFileSync(files.find((f) => f.endsWith('.pdf'))!));
    expect(pdf.getPageCount()).toBe(1);
    const cbz = unzipSync(readFileSync(files.find((f) => f.endsWith('.cbz'))!));
    expect(Object.keys(cbz).sort()).toEqual(['001.png', 'ComicInfo.xml']);

    const before = readFileSync(files[0]!);
    await expect(
      h.call('studio:export', { versionIds: [page], formats: ['page', 'cbz'], folder }),
    ).rejects.toThrow(/already exist.*allow overwriting/);
    expect(readFileSync(files[0]!).equals(before)).toBe(true);

    const again = await h.call('studio:export', {
      versionIds: [page],
      formats: ['page'],
      folder,
      overwrite: true,
    });
    expect(again.files).toEqual([files[0]]);
  });

  it('uses the panel rectangles the user adjusted, and a PDF per panel', async () => {
    const folder = join(out.dir, 'cuts');
    const { files } = await h.call('studio:export', {
      versionIds: [page],
      formats: ['panels', 'pdf'],
      folder,
      cuts: {
        [String(page)]: [
          { x: 0, y: 0, width: 512, height: 1024 },
          { x: 512, y: 0, width: 512, height: 1024 },
        ],
      },
      pdf: { size: 'A5', perPanel: true },
    });
    expect(files.filter((f) => f.endsWith('.png'))).toHaveLength(2);
    const pdf = await PDFDocument.load(readFileSync(files.find((f) => f.endsWith('.pdf'))!));
    expect(pdf.getPageCount()).toBe(2);
  });

  it('refuses a folder that is not a full path, and a version that is not finished', async () => {
    await expect(
      h.call('studio:export', { versionIds: [page], formats: ['page'], folder: 'comics' }),
    ).rejects.toThrow(/not a full folder path/);
    h.fake.failNext('401');
    const { versionIds } = await h.call('studio:generate', {
      id: sessionId,
      prompt: 'fails',
      options: OPTIONS,
    });
    await waitForEnd(h.notifier, versionIds);
    await expect(
      h.call('studio:export', { versionIds, formats: ['page'], folder: join(out.dir, 'x') }),
    ).rejects.toThrow(/no finished page/);
    await expect(h.call('studio:panels', { versionId: versionIds[0]! })).rejects.toThrow(/no finished page/);
  });

  it('without a shell folder picker, asks to type the path', async () => {
    await expect(h.call('studio:pick-folder', {})).rejects.toThrow(/type the folder path/);
  });

  it('renames a session', async () => {
    const renamed = await h.call('studio:rename', { id: sessionId, title: 'Summer' });
    expect(renamed.title).toBe('Summer');
    expect((await h.call('studio:sessions', {})).find((s) => s.id === sessionId)!.title).toBe('Summer');
  });

  it('deletes a session with its rows and image files', async () => {
    const dir = join(dataPaths(h.dataDir).studio, String(sessionId));
    expect(existsSync(join(dir, `v${page}.png`))).toBe(true);
    expect(await h.call('studio:delete', { id: sessionId })).toEqual({ deleted: true });
    expect(existsSync(dir)).toBe(false);
    expect(await h.call('studio:get', { id: sessionId })).toBeNull();
    expect((await h.call('studio:sessions', {})).some((s) => s.id === sessionId)).toBe(false);
    await expect(h.call('studio:panels', { versionId: page })).rejects.toThrow(/does not exist/);
    expect(await h.call('studio:delete', { id: sessionId })).toEqual({ deleted: false });
  });
});
