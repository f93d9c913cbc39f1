import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every file Komorebi writes in its data directory is written as `<name>.<...>.tmp` and
 * renamed into place, so a process killed mid-write leaves a temp file, never half a file
 * under the real name. This removes those leftovers at start. It runs while the data
 * directory's lock is held and before anything of this process writes, so every temp file
 * found belongs to a process that is gone.
 */
export function removeLeftoverTemps(dataDir: string, maxDepth = 4): number {
  let removed = 0;
  const visit = (dir: string, depth: number) => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // not there yet, or unreadable: nothing of ours to clean
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth < maxDepth && entry.name !== 'electron' && entry.name !== 'models') visit(path, depth + 1);
      } else if (entry.isFile() && entry.name.endsWith('.tmp')) {
        rmSync(path, { force: true });
        removed++;
      }
    }
  };
  visit(dataDir, 0);
  return removed;
}
