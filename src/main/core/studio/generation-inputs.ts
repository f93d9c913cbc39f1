/** What a drawing sends: the reference photos as they leave the machine, and the page being changed. */
import { lstat, readFile } from 'node:fs/promises';
import { OUTSIDE_ROOT_REASON, realFileInside } from '../media';
import type { PreparedReference } from './engine';
import { StudioError } from './errors';
import { fitReferenceBytes } from './models/limits';
import { prepareReference } from './references';

/**
 * A reference photo as stored: its content hash and the files that hold it, each with the
 * watched folder it is in (the first readable one inside its folder wins).
 */
export interface ReferenceSource {
  hash: string;
  files: { path: string; folder: string }[];
}

export async function prepareAll(
  sources: ReferenceSource[],
  maxSide: number,
  maxBytes: number | undefined,
  signal: AbortSignal,
): Promise<PreparedReference[]> {
  const out: PreparedReference[] = [];
  for (const source of sources) {
    if (signal.aborted) throw signal.reason;
    out.push(await fitReferenceBytes(await prepareFirstReadable(source, maxSide), maxBytes));
  }
  if (signal.aborted) throw signal.reason;
  return out;
}

/**
 * A photo may be stored in several places; one that moved or went offline is skipped. Only a
 * file whose real path is inside its watched folder is read (decision 0024): a link swapped in
 * after the photo was added, pointing elsewhere, is refused like the scan refuses it.
 */
async function prepareFirstReadable(source: ReferenceSource, maxSide: number): Promise<PreparedReference> {
  let last: unknown;
  for (const { path, folder } of source.files) {
    const real = await realFileInside(folder, path, { watched: true });
    if (!real) {
      last = await unreadable(path);
      continue;
    }
    try {
      return await prepareReference(real, { maxSide });
    } catch (err) {
      last = err;
    }
  }
  throw (
    last ??
    new StudioError({
      kind: 'bad-reference',
      message:
        'A reference photo is no longer in the library (its folder is offline or the file was removed). Reconnect the folder, or remove the photo from this comic.',
      retryable: false,
    })
  );
}

/** Why a copy is not read: gone, or a link that leads out of its folder. */
async function unreadable(path: string): Promise<StudioError> {
  const there = await lstat(path).then(
    () => true,
    () => false,
  );
  return new StudioError({
    kind: 'bad-reference',
    message: there
      ? `Could not use ${path} as a reference. ${OUTSIDE_ROOT_REASON} Remove the photo from the comic or pick another.`
      : `Could not use ${path} as a reference: it no longer exists. Remove it from the comic or pick another photo.`,
    retryable: false,
  });
}

export async function readPreviousPage(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch {
    throw new StudioError({
      kind: 'bad-reference',
      message: `The page being refined is missing from ${file}. Refine another version, or generate a new page.`,
      retryable: false,
    });
  }
}
