// Reading a model file the user pointed at, and writing a model file into the models folder,
// without the ways either can go wrong silently: a path that is a device or a pipe (which would
// never end, or never start), a file far too large, a stalled network drive, a full disk.
import { constants } from 'node:fs';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { ModelRequestError } from '../errors';

/** Ten times the real ResNet-50 (102 MB); an ONNX protobuf cannot exceed 2 GB anyway. */
export const MAX_MODEL_FILE_BYTES = 1024 * 1024 * 1024;

export interface ReadLimits {
  /** Accepted file name endings, with the dot ('.onnx'). */
  extensions: string[];
  maxBytes?: number;
  /** A read that makes no progress for this long fails (a stalled network drive). */
  stallMs?: number;
}

/**
 * The bytes of a regular file with an accepted extension and size. Anything else (a folder, a
 * device such as /dev/zero, a FIFO, a socket) fails at once with a message naming the path.
 */
export async function readModelSource(file: string, limits: ReadLimits): Promise<Buffer> {
  const ext = path.extname(file).toLowerCase();
  if (!limits.extensions.includes(ext)) {
    throw new ModelRequestError(
      `${file} is not a model file: choose a file ending in ${limits.extensions.join(' or ')}.`,
    );
  }
  const maxBytes = limits.maxBytes ?? MAX_MODEL_FILE_BYTES;
  let handle: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; the type check below refuses it.
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ModelRequestError(`The model file ${file} does not exist.`);
    throw new ModelRequestError(`Cannot open the model file ${file}: ${(e as Error).message}`);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      throw new ModelRequestError(
        `${file} is not a regular file (it is a ${kindOf(info)}); choose the model file itself.`,
      );
    }
    if (info.size > maxBytes) {
      throw new ModelRequestError(
        `${file} is ${(info.size / 1e6).toFixed(0)} MB, more than the ${(maxBytes / 1e6).toFixed(0)} MB a model file may have here.`,
      );
    }
    return await readWithStallLimit(handle, file, info.size, limits.stallMs ?? 30_000);
  } finally {
    await handle.close();
  }
}

function kindOf(info: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
}): string {
  if (info.isDirectory()) return 'folder';
  if (info.isFIFO()) return 'pipe (FIFO)';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'device';
  if (info.isSocket()) return 'socket';
  return 'special file';
}

/** Exported for its test: a stalled network drive cannot be made here. */
export async function readWithStallLimit(
  handle: FileHandle,
  file: string,
  size: number,
  stallMs: number,
): Promise<Buffer> {
  const out = Buffer.alloc(size);
  let at = 0;
  while (at < size) {
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new ModelRequestError(
              `Reading ${file} made no progress for ${Math.round(stallMs / 1000)} s; is its drive still there?`,
            ),
          ),
        stallMs,
      );
    });
    try {
      const { bytesRead } = await Promise.race([
        handle.read(out, at, Math.min(8 << 20, size - at), at),
        stalled,
      ]);
      if (bytesRead === 0)
        throw new ModelRequestError(`${file} became shorter while it was read; try again.`);
      at += bytesRead;
    } finally {
      clearTimeout(timer);
    }
  }
  return out;
}

/** A write failure in words: a full disk is the one users meet. */
function writeProblem(e: unknown, dir: string, what: string, bytes: number): Error {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new Error(
      `There is not enough free space in ${dir} to write ${what} (${(bytes / 1e6).toFixed(0)} MB). ` +
        'Nothing was changed: the model in use stays active. Free some space and try again.',
    );
  }
  return new Error(
    `Could not write ${what} in ${dir}: ${(e as Error).message}. The model in use stays active.`,
  );
}

/**
 * Writes `bytes` next to `target`, flushes them to disk, then renames the file into place: the
 * target is either the old file or the whole new one, never a part. On any failure the
 * temporary file is removed.
 */
export async function writeModelFile(target: string, bytes: Uint8Array, what: string): Promise<string> {
  const dir = path.dirname(target);
  const tmp = `${target}.${process.pid}.writing`;
  try {
    let handle: FileHandle | undefined;
    try {
      handle = await open(tmp, 'w');
      await handle.writeFile(bytes);
      await handle.sync();
    } catch (e) {
      throw writeProblem(e, dir, what, bytes.byteLength);
    } finally {
      await handle?.close().catch(() => {});
    }
    await rename(tmp, target);
    return target;
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
