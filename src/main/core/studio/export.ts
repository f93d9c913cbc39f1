import { randomBytes } from 'node:crypto';
import { access, link, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { PageSizes, PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import type { ExpectedErrorName } from '../../../shared/errors';
import { clampRect } from './panels';
import type { PanelRect } from './prompt';

/** One generated page (a version of a comic session) and its panel rectangles. */
export interface ComicPage {
  version: number;
  /** The page image as generated (PNG). */
  image: Buffer;
  /** Panel rectangles in page pixels, in reading order (from detectPanels, maybe adjusted). */
  panels?: PanelRect[];
}

export interface ExportTarget {
  /** Folder to write into; created if missing. */
  dir: string;
  /** The comic session's name, used in file names (sanitised). */
  sessionName: string;
  /** Replace files that already exist. Default false: nothing is written and a conflict is reported. */
  overwrite?: boolean;
}

/** Nothing was written because these files already exist. */
export class ExportConflictError extends Error {
  readonly conflicts: string[];
  constructor(dir: string, conflicts: string[]) {
    super(
      `Not exported: ${conflicts.length === 1 ? 'a file already exists' : `${conflicts.length} files already exist`} in ${dir} ` +
        `(${conflicts.join(', ')}). Choose another folder, rename the comic, or allow overwriting.`,
    );
    this.name = 'ExportConflictError' satisfies ExpectedErrorName;
    this.conflicts = conflicts;
  }
}

export interface ExportResult {
  /** Absolute paths written, in order. */
  files: string[];
}

export const PRINT_SIZES = {
  A4: PageSizes.A4,
  A5: PageSizes.A5,
  A3: PageSizes.A3,
  Letter: PageSizes.Letter,
  Legal: PageSizes.Legal,
  Tabloid: PageSizes.Tabloid,
} as const;
export type PrintSize = keyof typeof PRINT_SIZES;

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

/** A name safe on Windows, macOS and Linux: no separators or reserved characters, not too long. */
export function sanitiseFileName(name: string): string {
  const cleaned = name
    .normalize('NFKC')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we remove
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/[/\\|]+/g, '-')
    .replace(/[<>:"?*]+/g, '')
    .replace(/\s+/g, ' ')
    .replace(/-{2,}/g, '-')
    .replace(/^[.\s-]+/, '')
    .slice(0, 80)
    .replace(/[.\s-]+$/, ''); // Windows drops trailing dots and spaces
  if (!cleaned) return 'comic';
  return WINDOWS_RESERVED.test(cleaned) ? `_${cleaned}` : cleaned;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** "Beach day - v3", "Beach day - v3 - panel 02"; versions v1-v4 when several pages go in one file. */
export function exportBaseName(sessionName: string, versions: number[], panel?: number): string {
  const first = Math.min(...versions);
  const last = Math.max(...versions);
  const v = first === last ? `v${first}` : `v${first}-v${last}`;
  return `${sanitiseFileName(sessionName)} - ${v}${panel === undefined ? '' : ` - panel ${pad(panel, 2)}`}`;
}

/** The full page as PNG: one file per page. */
export async function exportPagePng(pages: ComicPage[], target: ExportTarget): Promise<ExportResult> {
  const files = await Promise.all(
    pages.map(async (p) => ({
      name: `${exportBaseName(target.sessionName, [p.version])}.png`,
      data: await toPng(p.image),
    })),
  );
  return writeAll(target, files);
}

/** Each panel of each page as its own PNG, cropped by its rectangle. */
export async function exportPanelsPng(pages: ComicPage[], target: ExportTarget): Promise<ExportResult> {
  const files: NamedFile[] = [];
  for (const p of pages) {
    const crops = await cropPanels(p);
    for (const [i, data] of crops.entries()) {
      files.push({ name: `${exportBaseName(target.sessionName, [p.version], i + 1)}.png`, data });
    }
  }
  return writeAll(target, files);
}

export interface PdfOptions {
  /** 'pages': one sheet per page; 'panels': one sheet per panel. */
  content: 'pages' | 'panels';
  printSize: PrintSize;
  /** Sheet orientation; 'auto' turns each sheet to suit its image. Default 'auto'. */
  orientation?: 'auto' | 'portrait' | 'landscape';
  /** White border around the image, in points (1/72 inch). Default 28 (about 1 cm). */
  marginPt?: number;
  title?: string;
}

/** A PDF at a print size, each image fitted inside the margins and centred. */
export async function exportPdf(
  pages: ComicPage[],
  opts: PdfOptions,
  target: ExportTarget,
): Promise<ExportResult> {
  const doc = await PDFDocument.create();
  doc.setTitle(opts.title ?? target.sessionName);
  doc.setCreator('Komorebi');
  const margin = opts.marginPt ?? 28;
  for (const image of await imagesFor(pages, opts.content)) {
    const png = await doc.embedPng(image);
    const [w, h] = PRINT_SIZES[opts.printSize];
    const landscape =
      opts.orientation === 'landscape' || ((opts.orientation ?? 'auto') === 'auto' && png.width > png.height);
    const [pw, ph] = landscape ? [Math.max(w, h), Math.min(w, h)] : [Math.min(w, h), Math.max(w, h)];
    const sheet = doc.addPage([pw, ph]);
    const fit = Math.min((pw - 2 * margin) / png.width, (ph - 2 * margin) / png.height);
    const dw = png.width * fit;
    const dh = png.height * fit;
    sheet.drawImage(png, { x: (pw - dw) / 2, y: (ph - dh) / 2, width: dw, height: dh });
  }
  const bytes = await doc.save();
  const suffix = opts.content === 'panels' ? ' - panels' : '';
  const name = `${exportBaseName(
    target.sessionName,
    pages.map((p) => p.version),
  )}${suffix}.pdf`;
  return writeAll(target, [{ name, data: Buffer.from(bytes) }]);
}

export interface CbzOptions {
  content: 'pages' | 'panels';
  title?: string;
  series?: string;
  summary?: string;
}

/** A comic book archive: images in reading order with zero-padded names, plus ComicInfo.xml. */
export async function exportCbz(
  pages: ComicPage[],
  opts: CbzOptions,
  target: ExportTarget,
): Promise<ExportResult> {
  const images = await imagesFor(pages, opts.content);
  const width = Math.max(3, String(images.length).length);
  const entries: Record<string, [Uint8Array, { level: 0 }]> = {};
  const sizes: Array<{ width: number; height: number }> = [];
  for (const [i, image] of images.entries()) {
    entries[`${pad(i + 1, width)}.png`] = [image, { level: 0 }]; // PNG is already compressed
    const m = await sharp(image).metadata();
    sizes.push({ width: m.width ?? 0, height: m.height ?? 0 });
  }
  entries['ComicInfo.xml'] = [
    new TextEncoder().encode(comicInfoXml(opts, target.sessionName, sizes)),
    { level: 0 },
  ];
  const suffix = opts.content === 'panels' ? ' - panels' : '';
  const name = `${exportBaseName(
    target.sessionName,
    pages.map((p) => p.version),
  )}${suffix}.cbz`;
  return writeAll(target, [{ name, data: Buffer.from(zipSync(entries)) }]);
}

function comicInfoXml(
  opts: CbzOptions,
  sessionName: string,
  sizes: Array<{ width: number; height: number }>,
): string {
  const esc = (s: string) =>
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const pageRows = sizes
    .map(
      (s, i) =>
        `    <Page Image="${i}" ImageWidth="${s.width}" ImageHeight="${s.height}"${i === 0 ? ' Type="FrontCover"' : ''} />`,
    )
    .join('\n');
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<ComicInfo xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    `  <Title>${esc(opts.title ?? sessionName)}</Title>`,
    ...(opts.series ? [`  <Series>${esc(opts.series)}</Series>`] : []),
    ...(opts.summary ? [`  <Summary>${esc(opts.summary)}</Summary>`] : []),
    `  <PageCount>${sizes.length}</PageCount>`,
    '  <Notes>Made with Komorebi Comic Studio</Notes>',
    '  <Pages>',
    pageRows,
    '  </Pages>',
    '</ComicInfo>',
    '',
  ].join('\n');
}

async function imagesFor(pages: ComicPage[], content: 'pages' | 'panels'): Promise<Buffer[]> {
  if (content === 'pages') return Promise.all(pages.map((p) => toPng(p.image)));
  const out: Buffer[] = [];
  for (const p of pages) out.push(...(await cropPanels(p)));
  return out;
}

async function cropPanels(p: ComicPage): Promise<Buffer[]> {
  const meta = await sharp(p.image).metadata();
  const w = meta.width ?? 0;
  const h = meta.height ?? 0;
  const rects = p.panels?.length ? p.panels : [{ x: 0, y: 0, width: w, height: h }];
  return Promise.all(
    rects.map((r) => {
      const c = clampRect(r, w, h);
      return sharp(p.image)
        .extract({ left: c.x, top: c.y, width: c.width, height: c.height })
        .png()
        .toBuffer();
    }),
  );
}

async function toPng(image: Buffer): Promise<Buffer> {
  const m = await sharp(image).metadata();
  return m.format === 'png' ? image : sharp(image).png().toBuffer();
}

interface NamedFile {
  name: string;
  data: Buffer | Uint8Array;
}

/**
 * Checks every name first so a conflict writes nothing. Every file is then staged whole
 * beside its final name and only then put in place: an old export being replaced is never
 * truncated (a crash or a full disk mid-write leaves it as it was), and a failure before the
 * last file is staged replaces nothing at all.
 */
async function writeAll(target: ExportTarget, files: NamedFile[]): Promise<ExportResult> {
  await mkdir(target.dir, { recursive: true });
  const paths = files.map((f) => join(target.dir, f.name));
  if (!target.overwrite) {
    const exists = await Promise.all(paths.map(fileExists));
    const conflicts = files.filter((_, i) => exists[i]).map((f) => f.name);
    if (conflicts.length) throw new ExportConflictError(target.dir, conflicts);
  }
  const staged: string[] = [];
  try {
    for (const f of files) {
      const temp = join(target.dir, `.${f.name}.${randomBytes(4).toString('hex')}.part`);
      staged.push(temp);
      await writeFile(temp, f.data, { flag: 'wx' });
    }
    for (const path of paths) {
      if ((await stat(path).catch(() => null))?.isDirectory())
        throw new Error(`Not exported: ${path} is a folder. Rename or move it, then export again.`);
    }
    for (const [i, path] of paths.entries()) await place(staged[i]!, path, target, files[i]!.name);
  } finally {
    await Promise.all(staged.map((t) => rm(t, { force: true })));
  }
  return { files: paths };
}

const fileExists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

/** Renames a staged file into place; without overwrite, a hard link refuses a file that appeared meanwhile. */
async function place(temp: string, path: string, target: ExportTarget, name: string): Promise<void> {
  if (target.overwrite) return rename(temp, path);
  try {
    await link(temp, path);
    return;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new ExportConflictError(target.dir, [name]);
    // File systems without hard links (FAT, exFAT on a USB stick): check, then rename.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw err;
  }
  if (await fileExists(path)) throw new ExportConflictError(target.dir, [name]);
  await rename(temp, path);
}
