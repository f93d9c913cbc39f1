import type { ComicReference } from '../../../../shared/model';

/** The reference list edits, as new arrays; the view saves each result with `studio:references`. */

export function moveReference(list: readonly ComicReference[], from: number, to: number): ComicReference[] {
  if (from === to || from < 0 || from >= list.length) return [...list];
  const target = Math.max(0, Math.min(list.length - 1, to));
  const next = [...list];
  const [moved] = next.splice(from, 1);
  next.splice(target, 0, moved!);
  return next;
}

export function toggleReference(list: readonly ComicReference[], photoId: number): ComicReference[] {
  return list.map((r) => (r.photo.id === photoId ? { ...r, included: !r.included } : r));
}

export function removeReference(list: readonly ComicReference[], photoId: number): ComicReference[] {
  return list.filter((r) => r.photo.id !== photoId);
}

export function includedCount(list: readonly ComicReference[]): number {
  return list.filter((r) => r.included).length;
}

export function referencesRequest(list: readonly ComicReference[]): { photoId: number; included: boolean }[] {
  return list.map((r) => ({ photoId: r.photo.id, included: r.included }));
}

/** The promise next to Generate, in numbers the user can check. */
export function privacyLine(included: number, maxSide: number): string {
  const photos = included === 1 ? 'the 1 included photo is' : `the ${included} included photos are`;
  return `Only ${photos} sent to OpenAI, downscaled to ${maxSide} px and without location or camera data.`;
}
