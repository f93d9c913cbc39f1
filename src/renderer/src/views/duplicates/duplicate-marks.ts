import type { DuplicateGroup } from '../../../../shared/model';

/**
 * Which copies go to the Trash. Every photo but the suggested one is marked at first; the
 * user's own ticks (`choices`) win and survive a reload of the groups (another threshold).
 */
export type MarkChoices = ReadonlyMap<number, boolean>;

export function isMarked(group: DuplicateGroup, photoId: number, choices: MarkChoices): boolean {
  return choices.get(photoId) ?? photoId !== group.keepId;
}

/** Marked photo ids over every group, each once (a photo can only be in one group). */
export function markedIds(groups: readonly DuplicateGroup[], choices: MarkChoices): number[] {
  const ids = new Set<number>();
  for (const group of groups) {
    for (const photo of group.photos) if (isMarked(group, photo.id, choices)) ids.add(photo.id);
  }
  return [...ids];
}

export function choose(choices: MarkChoices, photoId: number, marked: boolean): MarkChoices {
  const next = new Map(choices);
  next.set(photoId, marked);
  return next;
}

/** Groups in which every copy is marked: trashing them would leave no copy of that picture. */
export function groupsLosingEveryCopy(
  groups: readonly DuplicateGroup[],
  choices: MarkChoices,
): DuplicateGroup[] {
  return groups.filter(
    (group) => group.photos.length > 0 && group.photos.every((photo) => isMarked(group, photo.id, choices)),
  );
}

/** The label of a group in the user's words. */
export function groupTitle(group: DuplicateGroup): string {
  return group.kind === 'exact' ? `Same file in ${group.photos.length} places` : 'Look alike';
}

/** Photo counts for the header: how many groups and how many copies could go. */
export function summary(groups: readonly DuplicateGroup[]): { exact: number; near: number; extra: number } {
  let exact = 0;
  let near = 0;
  let extra = 0;
  for (const group of groups) {
    if (group.kind === 'exact') exact++;
    else near++;
    extra += Math.max(0, group.photos.length - 1);
  }
  return { exact, near, extra };
}

/** "Move 3 files to the Trash?" */
export function trashQuestion(count: number): string {
  return `Move ${count} ${count === 1 ? 'file' : 'files'} to the Trash?`;
}
