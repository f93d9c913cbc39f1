// Where the embed worker's entry file is. From the bundle (electron-vite output, .js) it is the
// built embed-worker.js next to this code; from source (vitest, tsx) it is a bootstrap that
// registers tsx in the worker and then imports embed-worker.ts.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function resolveEmbedWorker(): URL {
  const fromSource = import.meta.url.endsWith('.ts');
  if (!fromSource) {
    const built = new URL('./embed-worker.js', import.meta.url);
    if (existsSync(fileURLToPath(built))) return built;
    throw new Error(
      `The embed worker ${fileURLToPath(built)} is missing from the build; add it as an entry of the main bundle.`,
    );
  }
  return new URL('./embed-worker-dev.mjs', import.meta.url);
}
