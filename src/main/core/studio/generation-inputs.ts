/** What a drawing sends: the reference photos as they leave the machine, and the page being changed. */
import { readFile } from 'node:fs/promises';
import type { PreparedReference } from './engine';
import { StudioError } from './errors';
import { fitReferenceBytes } from './models/limits';
import { prepareReference } from './references';

/** A reference photo as stored: its content hash and the files that hold it (first readable one wins). */
export interface ReferenceSource {
  hash: string;
  paths: string[];
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

/** A photo may be stored in several places; one that moved or went offline is skipped. */
async function prepareFirstReadable(source: ReferenceSource, maxSide: number): Promise<PreparedReference> {
  let last: unknown;
  for (const path of source.paths) {
    try {
      return await prepareReference(path, { maxSide });
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
