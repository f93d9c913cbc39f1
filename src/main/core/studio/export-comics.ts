import { constants } from 'node:fs';
import { access, copyFile, mkdir, mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join } from 'node:path';
import {
  type ComicPage,
  ExportConflictError,
  exportCbz,
  exportPagePng,
  exportPanelsPng,
  exportPdf,
  type PrintSize,
} from './export';
import { refuseLinkedTargets } from './export-folders';
import { detectPanels } from './panels';
import type { PanelRect } from './prompt';
import { type ComicSessions, StudioRequestError } from './sessions';

export type ExportFormat = 'page' | 'panels' | 'pdf' | 'cbz';

export interface ExportRequest {
  versionIds: number[];
  formats: ExportFormat[];
  /** Absolute; created if missing. */
  folder: string;
  /** Panel rectangles the user adjusted, by version id; others are detected. */
  cuts?: Record<string, PanelRect[]>;
  pdf?: { size: PrintSize; perPanel: boolean };
  overwrite: boolean;
}

interface Group {
  title: string;
  pages: ComicPage[];
}

/**
 * Exports finished pages: each format is first written into a private staging folder, then
 * every file is checked against the target folder before any is copied, so a conflict writes
 * nothing at all (and copies use COPYFILE_EXCL, so a file appearing meanwhile is not replaced).
 */
export async function exportComics(
  sessions: ComicSessions,
  req: ExportRequest,
): Promise<{ files: string[] }> {
  if (!isAbsolute(req.folder)) {
    throw new StudioRequestError(
      `"${req.folder}" is not a full folder path. Type one that starts at the top of the disk, such as ${process.platform === 'win32' ? 'C:\\Users\\you\\Comics' : '/home/you/Comics'}.`,
    );
  }
  const groups = await loadGroups(sessions, req);
  const staging = await mkdtemp(join(tmpdir(), 'komorebi-export-'));
  try {
    const staged: string[] = [];
    for (const [i, group] of groups.entries()) {
      const dir = join(staging, String(i));
      staged.push(...(await writeFormats(group, req, dir)));
    }
    const names = staged.map((f) => basename(f));
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice) {
      throw new StudioRequestError(
        `Two of the chosen comics would both write "${twice}". Rename one of them, or export them one at a time.`,
      );
    }
    await mkdir(req.folder, { recursive: true }).catch((err: NodeJS.ErrnoException) => {
      throw new StudioRequestError(
        `Could not create the folder ${req.folder} (${err.code ?? err.message}). Choose another folder.`,
      );
    });
    // The folder was authorised by its real path; a link swapped in since then leads elsewhere.
    if ((await realpath(req.folder).catch(() => null)) !== req.folder) {
      throw new StudioRequestError(
        `Not exported: ${req.folder} changed while exporting (it now leads to another folder). Choose the folder again.`,
      );
    }
    const targets = names.map((n) => join(req.folder, n));
    if (!req.overwrite) {
      const exists = await Promise.all(
        targets.map((t) =>
          access(t).then(
            () => true,
            () => false,
          ),
        ),
      );
      const conflicts = names.filter((_, i) => exists[i]);
      if (conflicts.length > 0) throw new ExportConflictError(req.folder, conflicts);
    } else {
      await refuseLinkedTargets(targets);
    }
    for (const [i, source] of staged.entries()) {
      try {
        await copyFile(source, targets[i]!, req.overwrite ? 0 : constants.COPYFILE_EXCL);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST')
          throw new ExportConflictError(req.folder, [names[i]!]);
        throw new StudioRequestError(
          `Could not write ${targets[i]} (${(err as NodeJS.ErrnoException).code ?? String(err)}). Check the folder is writable and has space.`,
        );
      }
    }
    return { files: targets };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function writeFormats(group: Group, req: ExportRequest, dir: string): Promise<string[]> {
  const target = { dir, sessionName: group.title, overwrite: true };
  const files: string[] = [];
  const wants = new Set(req.formats);
  if (wants.has('page')) files.push(...(await exportPagePng(group.pages, target)).files);
  if (wants.has('panels')) files.push(...(await exportPanelsPng(group.pages, target)).files);
  if (wants.has('pdf')) {
    const pdf = req.pdf ?? { size: 'A4', perPanel: false };
    const content = pdf.perPanel ? 'panels' : 'pages';
    files.push(
      ...(await exportPdf(group.pages, { content, printSize: pdf.size, title: group.title }, target)).files,
    );
  }
  if (wants.has('cbz')) {
    files.push(...(await exportCbz(group.pages, { content: 'pages', title: group.title }, target)).files);
  }
  return files;
}

/** Pages grouped by comic (one PDF or CBZ per comic), in version order. */
async function loadGroups(sessions: ComicSessions, req: ExportRequest): Promise<Group[]> {
  const needPanels =
    req.formats.includes('panels') || (req.formats.includes('pdf') && req.pdf?.perPanel === true);
  const bySession = new Map<number, Group>();
  for (const versionId of [...new Set(req.versionIds)]) {
    const { row, image, layout, number } = await sessions.page(versionId);
    const cut = req.cuts?.[String(versionId)];
    const panels = needPanels
      ? cut?.length
        ? cut
        : (await detectPanels(image, { layout })).rects
      : undefined;
    let group = bySession.get(row.session_id);
    if (!group) {
      group = { title: sessions.sessionTitle(row.session_id), pages: [] };
      bySession.set(row.session_id, group);
    }
    group.pages.push({ version: number, image, panels });
  }
  for (const g of bySession.values()) g.pages.sort((a, b) => a.version - b.version);
  return [...bySession.values()];
}
