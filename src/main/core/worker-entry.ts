// Where a worker thread's entry file is. From the bundle (electron-vite output, .js) it is the
// built entry (electron.vite.config.ts) beside the main entry, or one folder up when the calling
// code was split into chunks/. From source (vitest, tsx) it is a bootstrap beside the caller
// that registers tsx in the worker and then imports the .ts entry.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface WorkerEntry {
  /** The built entry's file name, e.g. `embed-worker.js`. */
  built: string;
  /** The development bootstrap beside the caller, e.g. `embed-worker-dev.mjs`. */
  dev: string;
  /** The source file of the entry, named in the error when the build lacks it. */
  source: string;
}

/** `base` is the caller's import.meta.url (names held in variables so a bundler leaves them alone). */
export function resolveWorkerEntry(entry: WorkerEntry, base: string): URL {
  if (base.endsWith('.ts')) return new URL(`./${entry.dev}`, base);
  const candidates = [new URL(`./${entry.built}`, base), new URL(`../${entry.built}`, base)];
  const found = candidates.find((u) => existsSync(fileURLToPath(u)));
  if (found) return found;
  const name = entry.built.replace(/\.js$/, '');
  throw new Error(
    `The worker ${fileURLToPath(candidates[0]!)} is missing from the build; ` +
      `add ${entry.source} as the entry "${name}" of the main bundle (electron.vite.config.ts).`,
  );
}
