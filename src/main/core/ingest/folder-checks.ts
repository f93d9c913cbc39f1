import { opendir, realpath, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { LibraryRequestError } from '../errors';
import { isInside } from './formats';

/**
 * Resolves what the user picked to a real absolute path and refuses what cannot be a
 * watched folder, saying why and what to do.
 */
export async function checkNewFolder(
  input: string,
  dataDir: string,
  watched: { path: string }[],
): Promise<string> {
  if (typeof input !== 'string' || input.trim() === '')
    throw new LibraryRequestError('No folder was given. Choose a folder of photos.');
  const asked = resolve(input.trim());
  let real: string;
  try {
    real = await realpath(asked);
  } catch {
    throw new LibraryRequestError(
      `The folder ${asked} does not exist. Check the path, or reconnect the drive it is on.`,
    );
  }
  const s = await stat(real);
  if (!s.isDirectory())
    throw new LibraryRequestError(
      `${asked} is a file, not a folder. Choose the folder that contains your photos.`,
    );
  try {
    const dir = await opendir(real);
    await dir.close();
  } catch {
    throw new LibraryRequestError(
      `Komorebi cannot read the folder ${asked} (permission denied). Check its permissions, then add it again.`,
    );
  }
  const data = await realpath(dataDir).catch(() => resolve(dataDir));
  if (isInside(real, data)) {
    throw new LibraryRequestError(
      `${asked} is inside Komorebi's own data folder (${data}). Choose a folder of photos outside it.`,
    );
  }
  for (const w of watched) {
    if (real === w.path) throw new LibraryRequestError(`${asked} is already watched.`);
    if (isInside(real, w.path))
      throw new LibraryRequestError(
        `${asked} is inside the watched folder ${w.path}, so its photos are already in the library.`,
      );
    if (isInside(w.path, real))
      throw new LibraryRequestError(
        `${asked} contains the watched folder ${w.path}. Remove ${w.path} first, then add ${asked}.`,
      );
  }
  return real;
}
