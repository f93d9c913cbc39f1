import type { ComicVersion } from '../../../../shared/model';

/** A version as the history shows it: its number (v1, v2… in creation order) and place in the tree. */
export interface VersionNode {
  version: ComicVersion;
  /** 1-based, in creation order: the number export file names use too. */
  number: number;
  /** 0 for a first drawing, +1 per refinement step. */
  depth: number;
  /** Number of the version it refines, or null for a first drawing. */
  parentNumber: number | null;
  /** Refines a version other than the one listed just above it: a branch ("from v2"). */
  branch: boolean;
}

/**
 * The version tree flattened depth-first (each refinement right under what it refines, older
 * branches first), so an indented list reads like the story of the comic.
 */
export function versionTree(versions: readonly ComicVersion[]): VersionNode[] {
  const ordered = [...versions].sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
  const numberOf = new Map(ordered.map((v, i) => [v.id, i + 1]));
  const children = new Map<number | null, ComicVersion[]>();
  for (const v of ordered) {
    // A parent that is not in the list (should not happen) makes the version a root, never lost.
    const parent = v.parentId !== null && numberOf.has(v.parentId) ? v.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), v]);
  }
  const out: VersionNode[] = [];
  const visit = (parentId: number | null, depth: number) => {
    for (const v of children.get(parentId) ?? []) {
      const above = out[out.length - 1];
      out.push({
        version: v,
        number: numberOf.get(v.id)!,
        depth,
        parentNumber: parentId === null ? null : numberOf.get(parentId)!,
        branch: parentId !== null && above?.version.id !== parentId,
      });
      visit(v.id, depth + 1);
    }
  };
  visit(null, 0);
  return out;
}

/** The version the studio shows when a session opens: the newest finished one, else the newest. */
export function defaultVersionId(versions: readonly ComicVersion[]): number | null {
  const newest = [...versions].sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
  return (newest.find((v) => v.state === 'done') ?? newest[0])?.id ?? null;
}

export function versionNumber(versions: readonly ComicVersion[], id: number): number | null {
  const node = versionTree(versions).find((n) => n.version.id === id);
  return node?.number ?? null;
}
