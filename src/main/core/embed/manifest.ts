// A model is described by a manifest (resources/models/<id>.json): where its file comes from and
// exactly how a photo must be turned into its input tensor. Vectors record the model id, so the id
// must change whenever weights or preprocessing change.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ModelRequestError } from '../errors';

const rgbTriple = z.tuple([z.number(), z.number(), z.number()]);

export const modelManifestSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'lower-case letters, digits, dots and dashes'),
  displayName: z.string().min(1),
  description: z.string().optional(),
  /** File name of the .onnx inside a models folder. */
  fileName: z.string().regex(/^[^/\\]+\.onnx$/, 'a plain file name ending in .onnx'),
  /** How the file is obtained: downloaded from `download.url`, imported by the user, or built by a project script. */
  source: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('download'),
      url: z.url({ protocol: /^https?$/ }),
      /** SHA-256 of the file at `url`: a download or an imported copy must match it. */
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      /** Its size in bytes, shown before the download starts. */
      size: z.number().int().positive().optional(),
      /** The .onnx itself, or timm ResNet-50 weights that Komorebi converts to its ONNX graph. */
      format: z.enum(['onnx', 'timm-resnet50-safetensors']).default('onnx'),
      license: z.string().optional(),
      /** Where Hugging Face tools keep the same file once they have downloaded it (the hub cache). */
      huggingFace: z
        .object({ repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/), file: z.string().regex(/^[^/\\]+$/) })
        .optional(),
    }),
    z.object({ kind: z.literal('import'), instructions: z.string() }),
    z.object({ kind: z.literal('built-in'), script: z.string() }),
  ]),
  /** Benchmark-only models have meaningless weights and are never offered to users. */
  benchmarkOnly: z.boolean().default(false),
  /** The model Komorebi suggests on first run and uses whenever its file is here (unless the user chose another). */
  recommended: z.boolean().default(false),
  input: z.object({
    /** Input tensor name; the model's first input when absent (user exports name it freely). */
    name: z.string().optional(),
    size: z.number().int().positive(),
    layout: z.enum(['nchw', 'nhwc']),
    channelOrder: z.enum(['rgb', 'bgr']),
  }),
  preprocess: z.object({
    /**
     * The short side is resized to floor(input.size / cropPct), the long side keeps the aspect
     * ratio (truncated, as torchvision does), then the centre input.size square is cropped.
     * cropPct 1 means "short side to input.size"; timm's default 0.875 gives 256 for 224.
     */
    cropPct: z.number().gt(0).lte(1),
    interpolation: z.enum(['bicubic', 'bilinear', 'lanczos3', 'nearest']),
    /** Pixel values are scaled to [0, 1], then (x - mean) / std per channel, in RGB order. */
    mean: rgbTriple,
    std: rgbTriple,
    /** Colour transparent pixels are composited onto (RGB 0-255). */
    background: rgbTriple.default([255, 255, 255]),
  }),
  output: z.object({
    name: z.string().optional(),
    dim: z.number().int().positive(),
    l2Normalize: z.boolean().default(true),
  }),
});

export type ModelManifest = z.infer<typeof modelManifestSchema>;

/**
 * The manifests bundled with the app: the nearest resources/models above this file (the repo when
 * run from source, the app folder when bundled). The Electron shell may pass its own folder instead.
 */
export function defaultManifestDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'resources', 'models');
    if (existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error('Cannot find the bundled resources/models folder; pass the manifest folder explicitly.');
}

export function parseManifest(json: unknown, where: string): ModelManifest {
  const r = modelManifestSchema.safeParse(json);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`The model manifest ${where} is invalid (${issues}). Fix or remove that file.`);
  }
  return r.data;
}

export function loadManifest(file: string): ModelManifest {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`Cannot read the model manifest ${file}: ${(e as Error).message}`);
  }
  return parseManifest(json, file);
}

/** All manifests in `dir`, sorted by id; benchmark-only models are left out unless asked for. */
export function listModels(
  dir = defaultManifestDir(),
  opts: { includeBenchmarkOnly?: boolean } = {},
): ModelManifest[] {
  const manifests = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => loadManifest(path.join(dir, f)))
    .filter((m) => opts.includeBenchmarkOnly || !m.benchmarkOnly)
    .sort((a, b) => a.id.localeCompare(b.id));
  const seen = new Set<string>();
  for (const m of manifests) {
    if (seen.has(m.id))
      throw new Error(`Two model manifests in ${dir} use the id "${m.id}"; ids must be unique.`);
    seen.add(m.id);
  }
  return manifests;
}

export function findManifest(id: string, dir = defaultManifestDir()): ModelManifest {
  const m = listModels(dir, { includeBenchmarkOnly: true }).find((x) => x.id === id);
  // An answer, not a failure: the Api may name any id (models:download, models:import).
  if (!m)
    throw new ModelRequestError(
      `There is no model "${id}" (no manifest in ${dir}). Choose one listed in Settings.`,
    );
  return m;
}

/** The first folder in `dirs` holding the model's file (user models folder first, then bundled). */
export function findModelFile(manifest: ModelManifest, dirs: string[]): string | undefined {
  for (const d of dirs) {
    const p = path.join(d, manifest.fileName);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/** The resize target before the centre crop: timm's scale_size = floor(size / crop_pct). */
export function resizeShortSide(manifest: ModelManifest): number {
  return Math.floor(manifest.input.size / manifest.preprocess.cropPct);
}

/** True when the published file is timm ResNet-50 weights that Komorebi converts to its ONNX graph. */
export function convertsSafetensors(manifest: ModelManifest): boolean {
  return manifest.source.kind === 'download' && manifest.source.format === 'timm-resnet50-safetensors';
}

/** The file endings Import takes for this model. */
export function importTypes(manifest: ModelManifest): string[] {
  return convertsSafetensors(manifest) ? ['.onnx', '.safetensors'] : ['.onnx'];
}
