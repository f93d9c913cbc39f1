// Where the embed worker's entry file is (see worker-entry.ts).
import { resolveWorkerEntry } from '../worker-entry';

export function resolveEmbedWorker(base: string = import.meta.url): URL {
  return resolveWorkerEntry(
    { built: 'embed-worker.js', dev: 'embed-worker-dev.mjs', source: 'src/main/core/embed/embed-worker.ts' },
    base,
  );
}
