// Gets model files into the user's models folder: downloaded (progress, resume, SHA-256) or
// imported from a local file, as the .onnx itself or as timm ResNet-50 weights converted here.
// A model file only ever appears whole and checked in onnxruntime; until then the model in use
// stays active.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { ModelRequestError } from '../errors';
import { convertTimmResnet50 } from './convert-resnet50';
import { convertsSafetensors, importTypes, type ModelManifest } from './manifest';
import { DownloadCancelled, type DownloadOptions, downloadFile } from './model-download';
import { readModelSource, writeModelFile } from './model-files';
import { createOrtSession, describeShapeProblems, inputShape } from './onnx';

export { DownloadCancelled, type DownloadOptions, type DownloadProgress, sha256File } from './model-download';

/** What installing a model is doing now, for progress in Settings. */
export type InstallStep = 'downloading' | 'converting';

export interface InstallOptions extends DownloadOptions {
  onStep?: (step: InstallStep) => void;
}

const label = (m: ModelManifest) => `"${m.displayName}"`;

/**
 * Checks that an .onnx (path or bytes) is a model of this manifest's shapes by loading it in
 * onnxruntime and running one blank image. Throws a message naming `name` and what does not fit.
 */
export async function checkModelFile(
  manifest: ModelManifest,
  file: string | Uint8Array,
  name = typeof file === 'string' ? file : 'the model',
): Promise<void> {
  let session: ort.InferenceSession;
  try {
    session = await createOrtSession(file, { intraOpThreads: 1 });
  } catch (e) {
    throw new ModelRequestError(`${name} is not an ONNX model onnxruntime can load: ${(e as Error).message}`);
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
      throw new ModelRequestError(`${name} cannot be used as ${label(manifest)}: ${problems.join('; ')}.`);
    }
  } finally {
    await session.release();
  }
}

/** Checks ONNX bytes, then writes them as the manifest's model file (atomically). */
async function installOnnx(
  manifest: ModelManifest,
  onnx: Uint8Array,
  modelsDir: string,
  name: string,
): Promise<string> {
  await checkModelFile(manifest, onnx, name);
  await mkdir(modelsDir, { recursive: true });
  return writeModelFile(
    path.join(modelsDir, manifest.fileName),
    onnx,
    `the model file of ${label(manifest)}`,
  );
}

/** Converts timm ResNet-50 safetensors bytes and installs the result. */
async function installConverted(
  manifest: ModelManifest,
  weights: Uint8Array,
  modelsDir: string,
  name: string,
  signal?: AbortSignal,
): Promise<string> {
  const cancelled = () => {
    if (signal?.aborted) throw new DownloadCancelled(label(manifest));
  };
  cancelled();
  const sha256 = createHash('sha256').update(weights).digest('hex');
  let onnx: Uint8Array;
  try {
    onnx = convertTimmResnet50(weights, name, { 'komorebi.weights_sha256': sha256 }).onnx;
  } catch (e) {
    // A file that is not timm's ResNet-50: the user's to fix (the message names the tensor).
    throw new ModelRequestError((e as Error).message);
  }
  cancelled();
  return installOnnx(manifest, onnx, modelsDir, `The model converted from ${name}`);
}

/**
 * Gets the manifest's published file into `modelsDir` and returns the model file's path. For
 * timm weights the safetensors is downloaded beside it, converted, and deleted once the model is
 * installed (a failed conversion keeps it, so trying again does not download it again).
 */
export async function downloadModel(
  manifest: ModelManifest,
  modelsDir: string,
  opts: InstallOptions = {},
): Promise<string> {
  const source = manifest.source;
  if (source.kind !== 'download') {
    throw new ModelRequestError(
      `${label(manifest)} has no download; ${source.kind === 'import' ? source.instructions : 'it is built in.'}`,
    );
  }
  await mkdir(modelsDir, { recursive: true });
  const download = { url: source.url, sha256: source.sha256, size: source.size, label: label(manifest) };
  opts.onStep?.('downloading');
  if (!convertsSafetensors(manifest)) {
    return downloadFile(download, path.join(modelsDir, manifest.fileName), opts);
  }
  const weightsFile = await downloadFile(download, path.join(modelsDir, `${manifest.id}.safetensors`), opts);
  opts.onStep?.('converting');
  try {
    const target = await installConverted(
      manifest,
      await readFile(weightsFile),
      modelsDir,
      `the downloaded ${path.basename(source.url)}`,
      opts.signal,
    );
    await rm(weightsFile, { force: true });
    return target;
  } catch (e) {
    if (e instanceof DownloadCancelled) await rm(weightsFile, { force: true });
    throw e;
  }
}

/**
 * Installs a local file as the manifest's model: an .onnx (checked in onnxruntime) or, for a
 * model published as timm ResNet-50 weights, the .safetensors itself (converted here). A file
 * whose bytes are published (SHA-256 in the manifest) must match them, so one model id never
 * means two sets of weights.
 */
export async function importModel(
  manifest: ModelManifest,
  sourceFile: string,
  modelsDir: string,
  opts: { stallMs?: number; signal?: AbortSignal } = {},
): Promise<string> {
  const bytes = await readModelSource(sourceFile, {
    extensions: importTypes(manifest),
    stallMs: opts.stallMs,
  });
  const isSafetensors = path.extname(sourceFile).toLowerCase() === '.safetensors';
  const published = manifest.source.kind === 'download' ? manifest.source : undefined;
  // A published .onnx must be that file; a published safetensors fixes the weights, while an .onnx
  // the user exported from them (docs/models.md) can only be checked for its shapes.
  if (published && (isSafetensors || published.format === 'onnx')) {
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== published.sha256) {
      throw new ModelRequestError(
        `${sourceFile} is not the published ${label(manifest)} (SHA-256 ${actual}, expected ${published.sha256}).`,
      );
    }
  }
  if (isSafetensors) return installConverted(manifest, bytes, modelsDir, sourceFile, opts.signal);
  return installOnnx(manifest, bytes, modelsDir, sourceFile);
}
