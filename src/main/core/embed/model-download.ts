// Downloads one file with progress, resume over HTTP Range and a SHA-256 check. Bytes arrive in
// `<target>.part`; a dropped connection (here, or in an earlier run) continues where it stopped;
// the file gets its final name only once its SHA-256 matches. A cancelled download is removed.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';

export interface DownloadProgress {
  receivedBytes: number;
  /** Unknown when neither the server nor the manifest says. */
  totalBytes: number | undefined;
}

export interface DownloadOptions {
  onProgress?: (p: DownloadProgress) => void;
  /** Aborting cancels the download and deletes what it had written. */
  signal?: AbortSignal;
  /** Automatic resumes after a dropped connection (default 3). */
  retries?: number;
}

export interface DownloadSource {
  url: string;
  sha256: string;
  /** What the download is, for messages ('"ResNet-50 (timm, ImageNet)"'). */
  label: string;
  /** Expected size, used for progress until the server says. */
  size?: number;
}

/** Thrown when the user cancelled: callers tell it apart from a failure. */
export class DownloadCancelled extends Error {
  readonly cancelled = true;
  constructor(label: string) {
    super(`The download of ${label} was cancelled; nothing was kept.`);
  }
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function sizeOf(file: string): Promise<number> {
  return stat(file).then(
    (s) => s.size,
    () => 0,
  );
}

/** Downloads `source` to `target` (unless a file with the right SHA-256 is already there). */
export async function downloadFile(
  source: DownloadSource,
  target: string,
  opts: DownloadOptions = {},
): Promise<string> {
  if (existsSync(target) && (await sha256File(target)) === source.sha256) return target;
  const part = `${target}.part`;
  const retries = opts.retries ?? 3;
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await fetchInto(source, part, opts);
        break;
      } catch (e) {
        if (opts.signal?.aborted) throw e;
        if (attempt >= retries || (e as { permanent?: boolean }).permanent) {
          const got = await sizeOf(part);
          throw new Error(
            `Downloading ${source.label} from ${source.url} stopped after ${got} bytes: ${(e as Error).message}. ` +
              'Start the download again to continue where it stopped.',
          );
        }
      }
    }
    const actual = await sha256File(part);
    if (opts.signal?.aborted) throw new Error('aborted');
    if (actual !== source.sha256) {
      await rm(part, { force: true });
      throw new Error(
        `The file downloaded for ${source.label} from ${source.url} has SHA-256 ${actual}, expected ${source.sha256}. ` +
          'It was deleted. The address may now serve a different file; check the model manifest.',
      );
    }
    await rename(part, target);
    return target;
  } catch (e) {
    if (!opts.signal?.aborted) throw e;
    await rm(part, { force: true });
    throw new DownloadCancelled(source.label);
  }
}

class PermanentError extends Error {
  readonly permanent = true;
}

/** One HTTP request, appending to `part` from its current size when the server supports ranges. */
async function fetchInto(source: DownloadSource, part: string, opts: DownloadOptions): Promise<void> {
  const have = await sizeOf(part);
  // identity: byte offsets must count file bytes, not bytes of a compressed transfer.
  const headers: Record<string, string> = { 'Accept-Encoding': 'identity' };
  if (have > 0) headers.Range = `bytes=${have}-`;
  const res = await fetch(source.url, { headers, signal: opts.signal, redirect: 'follow' });
  if (res.status === 416 && have > 0) {
    // Nothing left to fetch: the part file is already whole (the checksum decides).
    await res.body?.cancel();
    return;
  }
  let start: number;
  if (res.status === 206) {
    const m = /^bytes (\d+)-/.exec(res.headers.get('content-range') ?? '');
    if (!m || Number(m[1]) !== have)
      throw new PermanentError(`the server resumed at the wrong offset (${m?.[1]})`);
    start = have;
  } else if (res.status === 200) {
    start = 0; // no range support: start over
  } else {
    await res.body?.cancel();
    throw new PermanentError(`the server answered HTTP ${res.status} ${res.statusText}`);
  }
  const length = Number(res.headers.get('content-length') ?? Number.NaN);
  const totalBytes = Number.isFinite(length) ? start + length : source.size;
  const file = await open(part, start === 0 ? 'w' : 'a');
  let received = start;
  try {
    opts.onProgress?.({ receivedBytes: received, totalBytes });
    if (!res.body) throw new Error('the response had no body');
    for await (const chunk of res.body) {
      await file.write(chunk).catch((e: NodeJS.ErrnoException) => {
        // Retrying cannot help a full disk; what arrived stays in the .part file for later.
        if (e.code === 'ENOSPC' || e.code === 'EDQUOT') {
          throw new PermanentError(`the disk is full (${received} bytes kept; free some space to continue)`);
        }
        throw e;
      });
      received += chunk.byteLength;
      opts.onProgress?.({ receivedBytes: received, totalBytes });
    }
  } finally {
    await file.close();
  }
  if (totalBytes !== undefined && received < totalBytes) {
    throw new Error(`the connection closed after ${received} of ${totalBytes} bytes`);
  }
}
