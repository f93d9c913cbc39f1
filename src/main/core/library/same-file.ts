import { lstat, stat } from 'node:fs/promises';

/**
 * A file's identity on disk: device and inode, links followed. Two library paths with one
 * identity are one file (a symlink and its target, two hard links, a folder bind-mounted
 * inside another watched folder), never two copies of a photo: removing "the other copy"
 * would remove the only one. Null when the file cannot be looked at (gone, offline).
 */
export async function fileIdentity(path: string): Promise<string | null> {
  try {
    const s = await stat(path, { bigint: true });
    return `${s.dev}:${s.ino}`;
  } catch {
    return null;
  }
}

/**
 * The copies of one photo, one per file on disk, each with how many library paths name it.
 * A file named by a link and by its target shows under the target's name. A copy that
 * cannot be looked at counts as a file of its own.
 */
export async function onePerFile<T extends { path: string }>(
  copies: T[],
): Promise<{ copy: T; names: number }[]> {
  const byFile = new Map<string, { copy: T; names: number; link: boolean }>();
  for (const copy of copies) {
    const key = (await fileIdentity(copy.path)) ?? `path:${copy.path}`;
    const link = await lstat(copy.path).then(
      (s) => s.isSymbolicLink(),
      () => false,
    );
    const seen = byFile.get(key);
    if (!seen) byFile.set(key, { copy, names: 1, link });
    else {
      seen.names++;
      if (seen.link && !link) Object.assign(seen, { copy, link });
    }
  }
  return [...byFile.values()].map(({ copy, names }) => ({ copy, names }));
}
