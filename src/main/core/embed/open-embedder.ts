// From a model id to a running EmbedderPool: find the manifest, find its file, start the workers.
import type { ModelManifest } from './manifest';
import { defaultManifestDir, findManifest, findModelFile } from './manifest';
import { EmbedderPool, type EmbedderPoolOptions } from './pool';

export interface OpenEmbedderOptions extends Omit<EmbedderPoolOptions, 'manifest' | 'modelPath'> {
  modelId: string;
  /** Folders that may hold the model file, searched in order (user models folder first, then bundled). */
  modelDirs: string[];
  /** Where the manifests are (default: the bundled resources/models). */
  manifestDir?: string;
}

/** Why a model cannot run yet, in words for the Settings screen. */
export function missingModelMessage(manifest: ModelManifest, modelDirs: string[]): string {
  const where = modelDirs.join(', ');
  const how =
    manifest.source.kind === 'download'
      ? 'Download it from Settings > Models.'
      : manifest.source.kind === 'import'
        ? manifest.source.instructions
        : `Build it with: npx tsx ${manifest.source.script}`;
  return `The model "${manifest.displayName}" (${manifest.fileName}) is not installed in ${where}. ${how}`;
}

export async function openEmbedder(
  opts: OpenEmbedderOptions,
): Promise<{ pool: EmbedderPool; manifest: ModelManifest }> {
  const { modelId, modelDirs, manifestDir, ...poolOptions } = opts;
  const manifest = findManifest(modelId, manifestDir ?? defaultManifestDir());
  const modelPath = findModelFile(manifest, modelDirs);
  if (!modelPath) throw new Error(missingModelMessage(manifest, modelDirs));
  const pool = await EmbedderPool.open({ ...poolOptions, manifest, modelPath });
  return { pool, manifest };
}
