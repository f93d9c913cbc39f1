/**
 * Where Comic Studio exports may be written (decision 0045): the data folder's `exports`
 * folder, a folder picked in the system's folder window (Electron), or, where there is no such
 * window (browser mode), a folder the user typed and confirmed in the export dialog. Folders
 * inside one of these count too. A caller of the Api cannot name any other folder: the window
 * asks first, and in Electron only the picker, which no script can drive, adds one.
 */
import { lstat, mkdir, realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import type { ExpectedErrorName } from '../../../shared/errors';
import { systemFolderReason } from '../ingest/folder-checks';
import { isInside } from '../ingest/formats';
import type { Db } from '../library/db';
import { type ChosenExportFolder, SettingsStore } from '../library/settings';
import { StudioRequestError } from './request-error';

/** Nothing was written: the folder was not chosen for exports. The window asks, then calls again. */
export class ExportFolderError extends Error {
  override name = 'ExportFolderError' satisfies ExpectedErrorName;
}

const KEPT = 20;

export class ExportFolders {
  private readonly settings: SettingsStore;

  constructor(
    db: Db,
    private readonly dataDir: string,
    /** The native folder picker, where the shell has one. */
    private readonly picker?: () => Promise<string | null>,
  ) {
    this.settings = new SettingsStore(db);
  }

  /** The folder every shell may export to without asking. */
  defaultFolder(): string {
    return join(this.dataDir, 'exports');
  }

  /** The system's folder window; the folder picked is remembered as chosen for exports. */
  async pick(): Promise<string | null> {
    if (!this.picker) {
      throw new StudioRequestError('This window cannot open a folder picker: type the folder path instead.');
    }
    const picked = await this.picker();
    if (!picked) return null;
    const real = await this.check(picked);
    this.remember({ path: real, how: 'picked' });
    return real;
  }

  /** Browser mode: the user typed `folder` and confirmed it in the export dialog. */
  async confirm(folder: string): Promise<string> {
    if (this.picker) {
      throw new StudioRequestError(
        'Choose the export folder with "Choose…": in this window Komorebi exports only into folders picked in the system\'s folder window.',
      );
    }
    const real = await this.check(folder);
    const hidden = real.split(sep).find((part) => part.startsWith('.'));
    if (hidden) {
      throw new StudioRequestError(
        `${folder} is inside the hidden folder "${hidden}" (where programs keep their settings). Choose a visible folder, such as one in your Pictures or Documents folder.`,
      );
    }
    this.remember({ path: real, how: 'typed' });
    return real;
  }

  /**
   * The real path to export into, when `folder` is the default folder, a chosen one, or
   * inside one of them; an ExportFolderError otherwise. Chosen folders are compared by real
   * path, so a link inside a chosen folder that leads elsewhere does not count as inside it.
   */
  async authorise(folder: string): Promise<string> {
    const real = await realTarget(absolute(folder));
    await mkdir(this.defaultFolder(), { recursive: true });
    const roots = [await realpath(this.defaultFolder())];
    for (const chosen of this.chosen()) {
      // Where there is a picker, only what it picked counts (a folder typed in browser mode does not).
      if (chosen.how === 'typed' && this.picker) continue;
      // A chosen folder that now resolves elsewhere (it, or a folder above it, replaced by a link)
      // no longer counts; one not created yet still does.
      if ((await realTarget(chosen.path)) === chosen.path) roots.push(chosen.path);
    }
    if (roots.some((root) => isInside(real, root))) return real;
    throw new ExportFolderError(
      this.picker
        ? `Komorebi exports only into a folder you chose: choose ${folder} with "Choose…", or export to ${this.defaultFolder()}.`
        : `Komorebi exports only into a folder you chose: confirm that comics may be saved in ${folder}, or export to ${this.defaultFolder()}.`,
    );
  }

  private chosen(): ChosenExportFolder[] {
    return this.settings.get('studio.export-folders') ?? [];
  }

  private remember(folder: ChosenExportFolder): void {
    const others = this.chosen().filter((f) => f.path !== folder.path);
    this.settings.set('studio.export-folders', [folder, ...others].slice(0, KEPT));
  }

  /** The rules for any folder that becomes an export folder, on its real path. */
  private async check(folder: string): Promise<string> {
    const real = await realTarget(absolute(folder));
    const named = real === resolve(folder) ? folder : `${folder} (which is ${real})`;
    const system = systemFolderReason(real);
    if (system) throw new StudioRequestError(`${named} ${system} Choose a folder of your own for comics.`);
    const data = await realpath(this.dataDir).catch(() => resolve(this.dataDir));
    if (isInside(real, data) && !isInside(real, join(data, 'exports'))) {
      throw new StudioRequestError(
        `${named} is inside Komorebi's own data folder. Choose a folder outside it, or ${this.defaultFolder()}.`,
      );
    }
    const existing = await lstat(real).catch(() => null);
    if (existing && !existing.isDirectory()) {
      throw new StudioRequestError(`${named} is a file, not a folder. Choose a folder for the comics.`);
    }
    return real;
  }
}

function absolute(folder: string): string {
  if (!isAbsolute(folder.trim())) {
    throw new StudioRequestError(
      `"${folder}" is not a full folder path. Type one that starts at the top of the disk, such as ${process.platform === 'win32' ? 'C:\\Users\\you\\Comics' : '/home/you/Comics'}.`,
    );
  }
  return resolve(folder.trim());
}

/** The real path of a folder that may not exist yet: its nearest existing parent resolved, then the rest. */
async function realTarget(path: string): Promise<string> {
  const rest: string[] = [];
  let current = path;
  for (;;) {
    const real = await realpath(current).catch(() => null);
    if (real) return rest.length ? join(real, ...rest.reverse()) : real;
    const parent = dirname(current);
    if (parent === current) return path;
    rest.push(basename(current));
    current = parent;
  }
}

/**
 * Refuses to replace what is not a plain file of its own: a link (writing through it would
 * change the file it points to, which the user never confirmed) or a file with other names.
 */
export async function refuseLinkedTargets(targets: string[]): Promise<void> {
  for (const target of targets) {
    const s = await lstat(target).catch(() => null);
    if (!s) continue;
    if (s.isSymbolicLink() || !s.isFile() || s.nlink > 1) {
      const what = s.isSymbolicLink()
        ? 'a link'
        : s.isFile()
          ? 'a file with other names (a hard link)'
          : 'not a file';
      throw new StudioRequestError(
        `Not exported: ${target} is ${what}, and Komorebi does not write through it. Remove it, or choose another folder.`,
      );
    }
  }
}
