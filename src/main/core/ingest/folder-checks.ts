import { opendir, realpath, stat } from 'node:fs/promises';
import { posix, resolve, win32 } from 'node:path';
import { LibraryRequestError } from '../errors';
import { isInside } from './formats';

/**
 * Resolves what the user picked to a real absolute path and refuses what cannot be a
 * watched folder, saying why and what to do. Everything is decided on the REAL path, so a
 * link named `Photos` that points at `/` or `/etc` is refused like `/` or `/etc` itself.
 *
 * A watched folder is a root the window may read from (its photos, and PDFs and archives
 * beside them), so the filesystem root, the system's own folders and Komorebi's data folder
 * are refused (decision 0024). The refusals are LibraryRequestError: the caller asked for
 * something that cannot be done, and Settings shows the message under the path.
 */
export async function checkNewFolder(
  input: string,
  dataDir: string,
  watched: { path: string }[],
): Promise<string> {
  if (typeof input !== 'string' || input.trim() === '')
    refuse('No folder was given. Choose a folder of photos.');
  const asked = resolve(input.trim());
  let real: string;
  try {
    real = await realpath(asked);
  } catch {
    refuse(`The folder ${asked} does not exist. Check the path, or reconnect the drive it is on.`);
  }
  const named = real === asked ? asked : `${asked} (which is ${real})`;
  const system = systemFolderReason(real);
  if (system)
    refuse(`${named} ${system} Choose the folder that holds your photos, such as your Pictures folder.`);
  const s = await stat(real);
  if (!s.isDirectory())
    refuse(`${named} is a file, not a folder. Choose the folder that contains your photos.`);
  try {
    const dir = await opendir(real);
    await dir.close();
  } catch {
    refuse(
      `Komorebi cannot read the folder ${named} (permission denied). Check its permissions, then add it again.`,
    );
  }
  const data = await realpath(dataDir).catch(() => resolve(dataDir));
  if (isInside(real, data)) {
    refuse(`${named} is inside Komorebi's own data folder (${data}). Choose a folder of photos outside it.`);
  }
  if (isInside(data, real)) {
    refuse(
      `${named} contains Komorebi's own data folder (${data}), whose thumbnails, settings and comics would become part of the library. Choose the folder inside it that holds your photos, or keep Komorebi's data elsewhere (KOMOREBI_DATA_DIR).`,
    );
  }
  for (const w of watched) {
    if (real === w.path) refuse(`${asked} is already watched.`);
    if (isInside(real, w.path))
      refuse(`${asked} is inside the watched folder ${w.path}, so its photos are already in the library.`);
    if (isInside(w.path, real))
      refuse(`${asked} contains the watched folder ${w.path}. Remove ${w.path} first, then add ${asked}.`);
  }
  return real;
}

function refuse(message: string): never {
  throw new LibraryRequestError(message);
}

/** The operating system's own trees (and their contents): never a photo library. */
const POSIX_SYSTEM = [
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/proc',
  '/run',
  '/sbin',
  '/snap',
  '/sys',
  '/usr',
  '/var/cache',
  '/var/db',
  '/var/lib',
  '/var/log',
  '/var/run',
  '/var/spool',
];
/** macOS: its system, other programs, and the real places behind /etc and /var (/private). */
const MAC_SYSTEM = [
  '/Applications',
  '/Library',
  '/System',
  '/cores',
  '/private/etc',
  '/private/var/db',
  '/private/var/log',
  '/private/var/run',
];
/** Windows: the first folder under any drive root, compared without case. */
const WINDOWS_SYSTEM = new Set([
  'windows',
  'program files',
  'program files (x86)',
  'programdata',
  '$recycle.bin',
  'system volume information',
  'recovery',
]);

/**
 * Why a real path is a system location ("is the root of the file system."), or null. Pure,
 * with the platform as a parameter, so the Windows and macOS rules are tested on Linux too.
 */
export function systemFolderReason(
  real: string,
  platform: NodeJS.Platform = process.platform,
): string | null {
  if (platform === 'win32') {
    const root = win32.parse(real).root;
    const rest = real
      .slice(root.length)
      .split(/[\\/]+/)
      .filter(Boolean);
    if (rest.length === 0) return 'is the root of a drive, which holds the whole system.';
    if (WINDOWS_SYSTEM.has(rest[0]!.toLowerCase())) return `is a Windows system folder (${root}${rest[0]}).`;
    return null;
  }
  if (real === posix.parse(real).root) return 'is the root of the file system.';
  const lists = platform === 'darwin' ? [...POSIX_SYSTEM, ...MAC_SYSTEM] : POSIX_SYSTEM;
  const hit = lists.find((system) => isInside(real, system));
  return hit ? `is part of the system folder ${hit}, not a folder of photos.` : null;
}
