// One onnxruntime-node session for one embedding model: batch in, L2-normalised vectors out.
import * as ort from 'onnxruntime-node';
import type { ModelManifest } from './manifest';

export interface EmbeddingSession {
  readonly inputName: string;
  readonly outputName: string;
  /** Set when the model was exported with a fixed batch size (often 1): batches are split to fit. */
  readonly fixedBatch: number | undefined;
  /** One tensor per image (no batch axis) -> one vector per image, in order. */
  run(images: Float32Array[]): Promise<Float32Array[]>;
  release(): Promise<void>;
}

export interface SessionOptions {
  /** Intra-op threads of this session (the pool splits the machine's cores between workers). */
  intraOpThreads?: number;
}

/** A session on a model file, or on the bytes of one (a model checked before it is written). */
export async function createOrtSession(
  model: string | Uint8Array,
  opts: SessionOptions = {},
): Promise<ort.InferenceSession> {
  const options: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: opts.intraOpThreads ?? 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    executionProviders: ['cpu'],
  };
  return typeof model === 'string'
    ? ort.InferenceSession.create(model, options)
    : ort.InferenceSession.create(model, options);
}

export function l2Normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  const norm = Math.sqrt(sum);
  // An all-zero feature stays zero rather than becoming NaN.
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] = v[i]! / norm;
  return v;
}

/** The input tensor's shape for `n` images in the manifest's layout. */
export function inputShape(manifest: ModelManifest, n: number): number[] {
  const s = manifest.input.size;
  return manifest.input.layout === 'nchw' ? [n, 3, s, s] : [n, s, s, 3];
}

/**
 * What is wrong with a loaded model for this manifest (empty when it fits), from the session's
 * declared input/output shapes. Symbolic dimensions are accepted; a trial run checks the rest.
 */
export function describeShapeProblems(session: ort.InferenceSession, manifest: ModelManifest): string[] {
  const problems: string[] = [];
  const inName = manifest.input.name ?? session.inputNames[0];
  const outName = manifest.output.name ?? session.outputNames[0];
  const input = session.inputMetadata.find((m) => m.name === inName);
  const output = session.outputMetadata.find((m) => m.name === outName);
  if (!input) problems.push(`it has no input named "${inName}" (inputs: ${session.inputNames.join(', ')})`);
  if (!output)
    problems.push(`it has no output named "${outName}" (outputs: ${session.outputNames.join(', ')})`);
  if (input?.isTensor) {
    const want = inputShape(manifest, 0);
    const got = input.shape;
    if (input.type !== 'float32') problems.push(`its input is ${input.type}, expected float32`);
    if (got.length !== 4)
      problems.push(`its input has shape [${got.join(', ')}], expected [batch, ${want.slice(1)}]`);
    else if (got.slice(1).some((d, i) => typeof d === 'number' && d >= 0 && d !== want[i + 1])) {
      problems.push(`its input has shape [${got.join(', ')}], expected [batch, ${want.slice(1).join(', ')}]`);
    }
  }
  if (output?.isTensor && output.shape.length > 0) {
    const features = output.shape.slice(1);
    const known = features.every((d) => typeof d === 'number' && d >= 0);
    const size = features.reduce<number>((a, d) => a * (typeof d === 'number' ? d : 1), 1);
    if (known && size !== manifest.output.dim) {
      problems.push(
        `its output has shape [${output.shape.join(', ')}], expected [batch, ${manifest.output.dim}]`,
      );
    }
  }
  return problems;
}

export async function openEmbeddingSession(
  modelPath: string,
  manifest: ModelManifest,
  opts: SessionOptions = {},
): Promise<EmbeddingSession> {
  const session = await createOrtSession(modelPath, opts);
  const problems = describeShapeProblems(session, manifest);
  if (problems.length > 0) {
    await session.release();
    throw new Error(
      `The model file ${modelPath} does not match "${manifest.displayName}": ${problems.join('; ')}.`,
    );
  }
  return wrapSession(session, manifest);
}

export function wrapSession(session: ort.InferenceSession, manifest: ModelManifest): EmbeddingSession {
  const inputName = manifest.input.name ?? session.inputNames[0]!;
  const outputName = manifest.output.name ?? session.outputNames[0]!;
  const meta = session.inputMetadata.find((m) => m.name === inputName);
  const dim0 = meta?.isTensor ? meta.shape[0] : undefined;
  const fixedBatch = typeof dim0 === 'number' && dim0 > 0 ? dim0 : undefined;
  const per = manifest.input.size * manifest.input.size * 3;
  const dim = manifest.output.dim;

  async function runChunk(images: Float32Array[]): Promise<Float32Array[]> {
    const n = fixedBatch ?? images.length;
    const data = new Float32Array(n * per);
    for (const [i, img] of images.entries()) data.set(img, i * per);
    const feeds = { [inputName]: new ort.Tensor('float32', data, inputShape(manifest, n)) };
    const result = await session.run(feeds, [outputName]);
    const out = result[outputName];
    if (!out || out.data.length !== n * dim) {
      throw new Error(
        `The model returned ${out?.data.length ?? 0} values for ${n} images, expected ${n * dim}.`,
      );
    }
    const values = out.data as Float32Array;
    const vectors = images.map((_, i) => {
      const v = values.slice(i * dim, (i + 1) * dim);
      return manifest.output.l2Normalize ? l2Normalize(v) : v;
    });
    out.dispose();
    return vectors;
  }

  return {
    inputName,
    outputName,
    fixedBatch,
    async run(images) {
      if (images.length === 0) return [];
      if (!fixedBatch) return runChunk(images);
      const vectors: Float32Array[] = [];
      for (let i = 0; i < images.length; i += fixedBatch) {
        vectors.push(...(await runChunk(images.slice(i, i + fixedBatch))));
      }
      return vectors;
    },
    release: () => session.release(),
  };
}
