// Anyone who ran the original Python workflow has ResNet-50's weights already: timm downloaded
// them into the Hugging Face hub cache. This finds such a copy and checks its SHA-256, so
// Settings can offer it instead of a 102 MB download.
import { readdir, realpath, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ModelManifest } from './manifest';
import { sha256File } from './model-download';

/**
 * Where huggingface_hub keeps its cache: HF_HUB_CACHE, else $HF_HOME/hub, else
 * $XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub (huggingface_hub's own order).
 */
export function huggingFaceHubDir(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  if (env.HF_HUB_CACHE) return env.HF_HUB_CACHE;
  if (env.HF_HOME) return path.join(env.HF_HOME, 'hub');
  return path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), 'huggingface', 'hub');
}

/** One hash per file version (in flight or done): the cache is read on every look at Settings. */
const verified = new Map<string, Promise<boolean>>();

/**
 * The cached copy of the manifest's published file (snapshots/<any revision>/<file>) whose SHA-256
 * matches, or null. Snapshot entries are symlinks into blobs/; the link is followed.
 */
export async function findHuggingFaceCopy(manifest: ModelManifest, hubDir: string): Promise<string | null> {
  const source = manifest.source;
  if (source.kind !== 'download' || !source.huggingFace) return null;
  const repoDir = path.join(hubDir, `models--${source.huggingFace.repo.replace('/', '--')}`, 'snapshots');
  let revisions: string[];
  try {
    revisions = (await readdir(repoDir)).sort();
  } catch {
    return null;
  }
  for (const revision of revisions) {
    const candidate = path.join(repoDir, revision, source.huggingFace.file);
    try {
      const real = await realpath(candidate);
      const info = await stat(real);
      if (!info.isFile() || (source.size !== undefined && info.size !== source.size)) continue;
      const key = `${real}:${info.size}:${info.mtimeMs}`;
      if (!verified.has(key))
        verified.set(
          key,
          sha256File(real).then((sha) => sha === source.sha256),
        );
      if (await verified.get(key)) return candidate;
    } catch {
      // A dangling link or an unreadable file: not a copy we can use.
    }
  }
  return null;
}
