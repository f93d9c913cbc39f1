// Gets model files into the user's models folder: download (with progress, resume over HTTP Range
// and a SHA-256 check) or import of a local .onnx (checked against the manifest's shapes).
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { copyFile, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { ModelRequestError } from '../errors';
import type { ModelManifest } from './manifest';
import { createOrtSession, describeShapeProblems, inputShape } from './onnx';

export interface DownloadProgress {
  receivedBytes: number;
  /** Unknown when the server does not say. */
  totalBytes: number | undefined;
}

export interface DownloadOptions {
  onProgress?: (p: DownloadProgress) => void;
  signal?: AbortSignal;
  /** Automatic resumes after a dropped connection (default 3). */
  retries?: number;
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

/**
 * Downloads the model file into `modelsDir` and returns its path. Bytes arrive in `<file>.part`; an
 * interrupted download (a dropped connection here, or an earlier run) continues from where it
 * stopped. The file only gets its final name once its SHA-256 matches the manifest.
 */
export async function downloadModel(
  manifest: ModelManifest,
  modelsDir: string,
  opts: DownloadOptions = {},
): Promise<string> {
  const source = manifest.source;
  if (source.kind !== 'download') {
    throw new Error(
      `"${manifest.displayName}" has no download; ${source.kind === 'import' ? source.instructions : 'it is built in.'}`,
    );
  }
  await mkdir(modelsDir, { recursive: true });
  const target = path.join(modelsDir, manifest.fileName);
  if (existsSync(target) && (await sha256File(target)) === source.sha256) return target;
  const part = `${target}.part`;
  const retries = opts.retries ?? 3;
  for (let attempt = 0; ; attempt++) {
    try {
      await fetchInto(source.url, part, opts);
      break;
    } catch (e) {
      if (opts.signal?.aborted || attempt >= retries || (e as { permanent?: boolean }).permanent) {
        const got = await sizeOf(part);
        throw new Error(
          `Downloading "${manifest.displayName}" from ${source.url} stopped after ${got} bytes: ${(e as Error).message}. ` +
            'Start the download again to continue where it stopped.',
        );
      }
    }
  }
  const actual = await sha256File(part);
  if (actual !== source.sha256) {
    await rm(part, { force: true });
    throw new Error(
      `The file downloaded for "${manifest.displayName}" from ${source.url} has SHA-256 ${actual}, expected ${source.sha256}. ` +
        'It was deleted. The address may now serve a different file; check the model manifest.',
    );
  }
  await rename(part, target);
  return target;
}

class PermanentError extends Error {
  readonly permanent = true;
}

/** One HTTP request, appending to `part` from its current size when the server supports ranges. */
async function fetchInto(url: string, part: string, opts: DownloadOptions): Promise<void> {
  const have = await sizeOf(part);
  // identity: byte offsets must count file bytes, not bytes of a compressed transfer.
  const headers: Record<string, string> = { 'Accept-Encoding': 'identity' };
  if (have > 0) headers.Range = `bytes=${have}-`;
  const res = await fetch(url, { headers, signal: opts.signal, redirect: 'follow' });
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
  const totalBytes = Number.isFinite(length) ? start + length : undefined;
  const file = await open(part, start === 0 ? 'w' : 'a');
  let received = start;
  try {
    opts.onProgress?.({ receivedBytes: received, totalBytes });
    if (!res.body) throw new Error('the response had no body');
    for await (const chunk of res.body) {
      await file.write(chunk);
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

/**
 * Checks that `file` is a model of this manifest's shapes by loading it in onnxruntime and running
 * one blank image. Throws a message naming the file and what does not fit.
 */
export async function checkModelFile(manifest: ModelManifest, file: string): Promise<void> {
  let session: ort.InferenceSession;
  try {
    session = await createOrtSession(file, { intraOpThreads: 1 });
  } catch (e) {
    throw new ModelRequestError(`${file} is not an ONNX model onnxruntime can load: ${(e as Error).message}`);
  }
  try {
    const problems = describeShapeProblems(session, manifest);
    if (problems.length === 0) {
      const inName = manifest.input.name ?? session.inputNames[0]!;
      const outName = manifest.output.name ?? session.outputNames[0]!;
      const meta = session.inputMetadata.find((m) => m.name === inName);
      const dim0 =
        meta?.isTensor && typeof meta.shape[0] === 'number' && meta.shape[0] > 0 ? meta.shape[0] : 1;
      const shape = inputShape(manifest, dim0);
      const blank = new ort.Tensor('float32', new Float32Array(shape.reduce((a, b) => a * b, 1)), shape);
      try {
        const out = (await session.run({ [inName]: blank }, [outName]))[outName];
        if (out?.data.length !== dim0 * manifest.output.dim) {
          problems.push(
            `it gives ${out?.data.length ?? 0} values per ${dim0} image(s), expected ${manifest.output.dim} each`,
          );
        }
      } catch (e) {
        problems.push(`it fails on a ${shape.join('x')} input: ${(e as Error).message}`);
      }
    }
    if (problems.length > 0) {
      throw new ModelRequestError(
        `${file} cannot be used as "${manifest.displayName}": ${problems.join('; ')}.`,
      );
    }
  } finally {
    await session.release();
  }
}

/**
 * Copies a local .onnx into `modelsDir` under the manifest's file name after checking its shapes
 * (and, for a model that has a published download, its SHA-256, so one id never means two weights).
 */
export async function importModel(
  manifest: ModelManifest,
  sourceFile: string,
  modelsDir: string,
): Promise<string> {
  if (!existsSync(sourceFile)) throw new ModelRequestError(`The model file ${sourceFile} does not exist.`);
  if (manifest.source.kind === 'download') {
    const actual = await sha256File(sourceFile);
    if (actual !== manifest.source.sha256) {
      throw new ModelRequestError(
        `${sourceFile} is not the published "${manifest.displayName}" (SHA-256 ${actual}, expected ${manifest.source.sha256}).`,
      );
    }
  }
  await checkModelFile(manifest, sourceFile);
  await mkdir(modelsDir, { recursive: true });
  const target = path.join(modelsDir, manifest.fileName);
  const tmp = `${target}.importing`;
  await copyFile(sourceFile, tmp);
  await rename(tmp, target);
  return target;
}
