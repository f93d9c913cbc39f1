// Where the embed worker's entry file is. From the bundle (electron-vite output, .js) it is the
// built embed-worker.js entry (electron.vite.config.ts) beside the main entry, or one folder up
// when this code was split into chunks/. From source (vitest, tsx) it is a bootstrap that
// registers tsx in the worker and then imports embed-worker.ts.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Names held in variables so a bundler does not try to resolve them as assets at build time.
const BUILT_WORKER = 'embed-worker.js';
const DEV_BOOTSTRAP = 'embed-worker-dev.mjs';

export function resolveEmbedWorker(base: string = import.meta.url): URL {
  if (base.endsWith('.ts')) return new URL(`./${DEV_BOOTSTRAP}`, base);
  const candidates = [new URL(`./${BUILT_WORKER}`, base), new URL(`../${BUILT_WORKER}`, base)];
  const found = candidates.find((u) => existsSync(fileURLToPath(u)));
  if (found) return found;
  throw new Error(
    `The embed worker ${fileURLToPath(candidates[0]!)} is missing from the build; ` +
      'build src/main/core/embed/embed-worker.ts as an entry of the main bundle or pass workerUrl to EmbedderPool.',
  );
}
