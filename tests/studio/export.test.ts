import { link, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { PageSizes, PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ComicPage,
  ExportConflictError,
  exportBaseName,
  exportCbz,
  exportPagePng,
  exportPanelsPng,
  exportPdf,
  sanitiseFileName,
} from '../../src/main/core/studio/export';
import { detectPanels } from '../../src/main/core/studio/panels';
import { getLayout } from '../../src/main/core/studio/prompt';
import { drawPage } from './fake-openai';
import { pixelAt } from './fixtures';

describe('export', () => {
  let dir: string;
  let pages: ComicPage[];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'komorebi-export-'));
    const layout = getLayout(4, 'grid');
    pages = [];
    for (const version of [2, 3]) {
      const image = await drawPage({
        width: 1024,
        height: 1024,
        rows: [2, 2],
        turn: version,
        variant: 0,
        style: 'clean',
      });
      pages.push({ version, image, panels: (await detectPanels(image, { layout })).rects });
    }
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const target = (over: Partial<{ overwrite: boolean; sessionName: string }> = {}) => ({
    dir,
    sessionName: 'Beach day: "the sequel"',
    ...over,
  });

  it('writes each page as PNG, named by session and version (sanitised)', async () => {
    const { files } = await exportPagePng(pages, target());
    expect(files.map((f) => basename(f))).toEqual([
      'Beach day the sequel - v2.png',
      'Beach day the sequel - v3.png',
    ]);
    expect((await readFile(files[0]!)).equals(pages[0]!.image)).toBe(true);
  });

  it('writes each panel cropped by its rectangle, numbered', async () => {
    const { files } = await exportPanelsPng(pages.slice(0, 1), target({ sessionName: 'Trip' }));
    expect(files.map((f) => basename(f))).toEqual([
      'Trip - v2 - panel 01.png',
      'Trip - v2 - panel 02.png',
      'Trip - v2 - panel 03.png',
      'Trip - v2 - panel 04.png',
    ]);
    const rects = pages[0]!.panels!;
    for (const [i, f] of files.entries()) {
      const m = await sharp(f).metadata();
      expect([m.width, m.height]).toEqual([rects[i]!.width, rects[i]!.height]);
      // The crop holds the panel's own colour, taken from the page at the same spot.
      const r = rects[i]!;
      expect(await pixelAt(await readFile(f), 20, Math.round(r.height * 0.1))).toEqual(
        await pixelAt(pages[0]!.image, r.x + 20, r.y + Math.round(r.height * 0.1)),
      );
    }
  });

  it('writes a PDF with one sheet per page at the print size, image fitted', async () => {
    const { files } = await exportPdf(
      pages,
      { content: 'pages', printSize: 'A4' },
      target({ sessionName: 'Trip' }),
    );
    expect(basename(files[0]!)).toBe('Trip - v2-v3.pdf');
    const pdf = await PDFDocument.load(await readFile(files[0]!));
    expect(pdf.getPageCount()).toBe(2);
    for (const page of pdf.getPages()) {
      const { width, height } = page.getSize();
      expect([Math.round(width), Math.round(height)]).toEqual(PageSizes.A4.map(Math.round));
    }
    expect(pdf.getTitle()).toBe('Trip');
  });

  it('writes a PDF with one sheet per panel, landscape sheets for wide panels', async () => {
    const wide = await drawPage({
      width: 1536,
      height: 1024,
      rows: [3],
      turn: 0,
      variant: 0,
      style: 'clean',
    });
    const strip: ComicPage = {
      version: 1,
      image: wide,
      panels: [
        { x: 0, y: 0, width: 1536, height: 400 },
        { x: 0, y: 400, width: 300, height: 600 },
      ],
    };
    const { files } = await exportPdf(
      [strip],
      { content: 'panels', printSize: 'Letter' },
      target({ sessionName: 'Strip' }),
    );
    expect(basename(files[0]!)).toBe('Strip - v1 - panels.pdf');
    const pdf = await PDFDocument.load(await readFile(files[0]!));
    expect(pdf.getPageCount()).toBe(2);
    const [first, second] = pdf.getPages().map((p) => p.getSize());
    expect([first!.width, first!.height]).toEqual([PageSizes.Letter[1], PageSizes.Letter[0]]);
    expect([second!.width, second!.height]).toEqual([...PageSizes.Letter]);
  });

  it('writes a CBZ with pages in order, zero-padded names and ComicInfo.xml', async () => {
    const { files } = await exportCbz(
      pages,
      { content: 'panels', title: 'Beach & friends', summary: 'A <sunny> day' },
      target({ sessionName: 'Trip' }),
    );
    expect(basename(files[0]!)).toBe('Trip - v2-v3 - panels.cbz');
    const entries = unzipSync(new Uint8Array(await readFile(files[0]!)));
    const names = Object.keys(entries);
    expect(names).toEqual([
      '001.png',
      '002.png',
      '003.png',
      '004.png',
      '005.png',
      '006.png',
      '007.png',
      '008.png',
      'ComicInfo.xml',
    ]);
    const info = strFromU8(entries['ComicInfo.xml']!);
    expect(info).toContain('<Title>Beach &amp; friends</Title>');
    expect(info).toContain('<Summary>A &lt;sunny&gt; day</Summary>');
    expect(info).toContain('<PageCount>8</PageCount>');
    // Order: version 2's panels first, then version 3's.
    const firstOfV3 = pages[1]!.panels![0]!;
    expect(await pixelAt(Buffer.from(entries['005.png']!), 20, 30)).toEqual(
      await pixelAt(pages[1]!.image, firstOfV3.x + 20, firstOfV3.y + 30),
    );
    const pageCbz = await exportCbz(pages, { content: 'pages' }, target({ sessionName: 'Trip' }));
    expect(Object.keys(unzipSync(new Uint8Array(await readFile(pageCbz.files[0]!))))).toEqual([
      '001.png',
      '002.png',
      'ComicInfo.xml',
    ]);
  });

  it('never overwrites: a conflict lists every existing name and writes nothing', async () => {
    await writeFile(join(dir, 'Trip - v2 - panel 02.png'), 'mine');
    await writeFile(join(dir, 'Trip - v2 - panel 04.png'), 'mine too');
    const err = await exportPanelsPng(pages.slice(0, 1), target({ sessionName: 'Trip' })).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ExportConflictError);
    expect((err as ExportConflictError).conflicts).toEqual([
      'Trip - v2 - panel 02.png',
      'Trip - v2 - panel 04.png',
    ]);
    expect((err as Error).message).toContain(dir);
    expect((await readdir(dir)).sort()).toEqual(['Trip - v2 - panel 02.png', 'Trip - v2 - panel 04.png']);
    expect(await readFile(join(dir, 'Trip - v2 - panel 02.png'), 'utf8')).toBe('mine');

    const again = await exportPanelsPng(pages.slice(0, 1), target({ sessionName: 'Trip', overwrite: true }));
    expect(again.files).toHaveLength(4);
    expect((await sharp(join(dir, 'Trip - v2 - panel 02.png')).metadata()).format).toBe('png');
  });

  it('overwriting stages each file and renames it over the old one: the old file is never truncated in place', async () => {
    const old = join(dir, 'Trip - v2.png');
    await writeFile(old, 'the export of yesterday');
    // A second name for the old file's bytes: an in-place rewrite would change what it reads.
    await link(old, join(dir, 'yesterday.png'));
    await exportPagePng(pages.slice(0, 1), target({ sessionName: 'Trip', overwrite: true }));
    expect(await readFile(join(dir, 'yesterday.png'), 'utf8')).toBe('the export of yesterday');
    expect((await readFile(old)).equals(pages[0]!.image)).toBe(true);
    expect((await readdir(dir)).sort()).toEqual(['Trip - v2.png', 'yesterday.png']);
  });

  it('an export that fails part way replaces nothing and leaves no temp file', async () => {
    await writeFile(join(dir, 'Trip - v2.png'), 'old v2');
    await mkdir(join(dir, 'Trip - v3.png')); // the second name cannot be written
    await expect(exportPagePng(pages, target({ sessionName: 'Trip', overwrite: true }))).rejects.toThrow(
      /Trip - v3\.png is a folder/,
    );
    expect(await readFile(join(dir, 'Trip - v2.png'), 'utf8')).toBe('old v2');
    expect((await readdir(dir)).sort()).toEqual(['Trip - v2.png', 'Trip - v3.png']);
  });

  it('sanitises names for every file system', () => {
    expect(sanitiseFileName('a/b\\c:d*e?f"g<h>i|j')).toBe('a-b-cdefghi-j');
    expect(sanitiseFileName('  ..hidden.  ')).toBe('hidden');
    expect(sanitiseFileName('CON')).toBe('_CON');
    expect(sanitiseFileName('\u0000\u0001')).toBe('comic');
    expect(sanitiseFileName('x'.repeat(200))).toHaveLength(80);
    expect(exportBaseName('Été à Kyoto', [4], 3)).toBe('Été à Kyoto - v4 - panel 03');
  });
});
