// Attack: `studio:export` wrote into any folder the caller named, so one call from a script in
// the window (or anyone holding the browser-mode token) put files in ~/.config/autostart, over a
// file outside through a planted link, or into a system folder. Now an export goes only into the
// data folder's exports, a folder picked in the system's folder window (Electron) or one the user
// typed and confirmed (browser mode), compared by real path, so `..` and links lead nowhere else;
// it never writes through a link or a hard link, even when overwriting (decision 0045).
import {
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp';
import { OPTIONS, openHarness, type StudioHarness, waitForEnd } from '../studio-sessions/setup';

let h: StudioHarness;
let root: string;
let page: number;

/** The export the attacks ask for; only `folder` (and overwrite) changes. */
const exportTo = (folder: string, overwrite = false) =>
  h.call('studio:export', { versionIds: [page], formats: ['page'], folder, overwrite });

/** Refused, as an ExportFolderError or a StudioRequestError whose message matches. */
async function refused(call: Promise<unknown>, name: string, message: RegExp): Promise<void> {
  const error = await call.then(
    () => null,
    (e: unknown) => e as Error,
  );
  expect(error, 'the call was not refused').not.toBeNull();
  expect(error!.name).toBe(name);
  expect(error!.message).toMatch(message);
}

let temp: ReturnType<typeof tempDir>;

beforeAll(async () => {
  h = await openHarness();
  temp = tempDir('komorebi-export-attack-');
  root = realpathSync(temp.dir);
  const { id } = await h.call('studio:create', { photoIds: [h.photos[0]!.id], title: 'Trip' });
  const { versionIds } = await h.call('studio:generate', { id, prompt: 'A trip', options: OPTIONS });
  const [end] = await waitForEnd(h.notifier, versionIds);
  expect(end!.state).toBe('done');
  page = versionIds[0]!;
  // A library scanned and a page drawn: under a loaded machine (load 16 on 2 cores) this took over 2 minutes.
}, 300_000);

afterAll(async () => {
  await h?.close();
  temp?.cleanup();
});

describe('export folders (browser mode: no folder picker)', () => {
  it('writes into the data folder’s exports without asking, and refuses a folder nobody chose', async () => {
    const options = await h.call('studio:options', {});
    expect(options.exportFolder).toBe(join(h.dataDir, 'exports'));
    const { files } = await exportTo(join(options.exportFolder, 'Trip'));
    expect(files).toHaveLength(1);
    expect(existsSync(files[0]!)).toBe(true);

    const elsewhere = join(root, 'autostart');
    await refused(exportTo(elsewhere), 'ExportFolderError', /exports only into a folder you chose.*confirm/);
    expect(existsSync(elsewhere), 'the refused folder was created').toBe(false);
  });

  it('follows neither `..` nor a link out of a chosen folder', async () => {
    const chosen = join(root, 'Comics');
    const outside = join(root, 'private');
    mkdirSync(outside);
    mkdirSync(chosen);
    await h.call('studio:confirm-folder', { path: chosen, confirmed: true });
    // `..` out of the default folder and out of the confirmed one.
    await refused(exportTo(join(h.dataDir, 'exports', '..', '..', 'escaped')), 'ExportFolderError', /chose/);
    await refused(exportTo(`${chosen}/../private`), 'ExportFolderError', /chose/);
    // A link inside the chosen folder that leads outside, and one inside the default folder.
    symlinkSync(outside, join(chosen, 'link'));
    symlinkSync(outside, join(h.dataDir, 'exports', 'link'));
    await refused(exportTo(join(chosen, 'link')), 'ExportFolderError', /chose/);
    await refused(exportTo(join(chosen, 'link', 'deeper')), 'ExportFolderError', /chose/);
    await refused(exportTo(join(h.dataDir, 'exports', 'link')), 'ExportFolderError', /chose/);
    expect(readdirSync(outside)).toEqual([]);
    expect(existsSync(join(root, 'escaped'))).toBe(false);

    // A folder inside the chosen one is fine.
    const { files } = await exportTo(join(chosen, 'Trip'));
    expect(files[0]!.startsWith(join(chosen, 'Trip'))).toBe(true);
  });

  it('no longer counts a chosen folder replaced by a link', async () => {
    const chosen = join(root, 'Swapped');
    const outside = join(root, 'elsewhere');
    mkdirSync(outside);
    await h.call('studio:confirm-folder', { path: chosen, confirmed: true });
    symlinkSync(outside, chosen);
    await refused(exportTo(chosen), 'ExportFolderError', /chose/);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('refuses to confirm a system folder, the data folder, a hidden folder, a file or a relative path', async () => {
    const hidden = join(root, '.config', 'autostart');
    const file = join(root, 'notes.txt');
    writeFileSync(file, 'mine');
    const cases: [string, RegExp][] = [
      ['/', /root of the file system/],
      ['/etc', /system folder \/etc/],
      ['/usr/share/comics', /system folder \/usr/],
      [h.dataDir, /Komorebi's own data folder/],
      [join(h.dataDir, 'thumbs'), /Komorebi's own data folder/],
      [join(h.dataDir, 'exports', '..', 'studio'), /Komorebi's own data folder/],
      [hidden, /hidden folder ".config"/],
      [file, /is a file, not a folder/],
      ['comics', /not a full folder path/],
    ];
    for (const [path, message] of cases) {
      await refused(
        h.call('studio:confirm-folder', { path, confirmed: true }),
        'StudioRequestError',
        message,
      );
    }
    // Nothing was remembered: each is still refused as an export folder.
    for (const [path] of cases.slice(0, -1)) {
      await expect(exportTo(path), path).rejects.toThrow();
    }
    expect(existsSync(join(root, '.config'))).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('mine');
    // And the contract itself insists on the confirmation.
    const unconfirmed = Promise.resolve().then(() =>
      h.call('studio:confirm-folder', { path: root } as never),
    );
    await refused(unconfirmed, 'BadRequestError', /confirmed/);
  });

  it('overwrites only a plain file of its own: never through a link or a hard link', async () => {
    const chosen = join(root, 'Overwrite');
    await h.call('studio:confirm-folder', { path: chosen, confirmed: true });
    const [target] = (await exportTo(chosen)).files;
    const name = basename(target!);
    const precious = join(root, 'precious.png');
    writeFileSync(precious, 'not a comic');

    rmSync(target!);
    symlinkSync(precious, target!);
    await refused(exportTo(chosen, true), 'StudioRequestError', /is a link.*does not write through it/);
    expect(readFileSync(precious, 'utf8')).toBe('not a comic');

    rmSync(target!);
    linkSync(precious, target!);
    await refused(exportTo(chosen, true), 'StudioRequestError', /hard link/);
    expect(readFileSync(precious, 'utf8')).toBe('not a comic');

    // Without overwrite the existing name is a conflict the window asks about.
    await refused(exportTo(chosen), 'ExportConflictError', new RegExp(name.replace(/[.()]/g, '\\$&')));
    rmSync(target!);
    const again = await exportTo(chosen, true);
    expect(again.files).toEqual([target]);
    expect(readFileSync(target!).subarray(1, 4).toString()).toBe('PNG');
  });
});

describe('export folders (Electron: the system folder window)', () => {
  let picked: string | null;

  beforeAll(async () => {
    await h.reopen({ pickExportFolder: async () => picked });
  });

  it('exports only into what the picker picked; a typed folder, even confirmed before, does not count', async () => {
    // Confirmed in browser mode by the earlier tests; the Electron window does not accept it.
    await refused(exportTo(join(root, 'Comics')), 'ExportFolderError', /with "Choose…"/);
    await refused(
      h.call('studio:confirm-folder', { path: join(root, 'Comics'), confirmed: true }),
      'StudioRequestError',
      /folder window/,
    );
    picked = join(root, 'Picked');
    expect(await h.call('studio:pick-folder', {})).toEqual({ path: picked });
    const { files } = await exportTo(picked);
    expect(files[0]!.startsWith(picked)).toBe(true);
    // The default folder still needs no asking.
    await exportTo(join(h.dataDir, 'exports', 'From Electron'));
  });

  it('refuses a system folder picked in the folder window, and a cancelled pick adds nothing', async () => {
    picked = '/etc';
    await refused(h.call('studio:pick-folder', {}), 'StudioRequestError', /system folder \/etc/);
    await refused(exportTo('/etc'), 'ExportFolderError', /chose/);
    picked = null;
    expect(await h.call('studio:pick-folder', {})).toEqual({ path: null });
  });
});
