/**
 * Several thumbnails in one answer (decision 0060): the gallery asks for the tiles of a screen
 * in a few requests instead of one per tile, because each request costs the browser far more
 * than the server. The answer is, for each path asked for, in order, a 4-byte big-endian
 * length and that many bytes of the file as stored; length 0 means "not served" (refused,
 * missing or unreadable), so one bad thumbnail never fails the others.
 */

/** At most this many paths in one batch (a screen of tiles at the smallest size). */
export const THUMBNAIL_BATCH_MAX = 64;

/** The query parameter that carries each media path (encoded per segment, as in a media URL). */
export const THUMBNAIL_BATCH_PARAM = 'path';

/** The media path of the batch endpoint under the media base (`/media/` or `media://local/`). */
export const THUMBNAIL_BATCH_PATH = 'batch';

export function encodeThumbnailBatch(files: (Uint8Array | null)[]): Uint8Array {
  const size = files.reduce((sum, file) => sum + 4 + (file?.length ?? 0), 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const file of files) {
    view.setUint32(at, file?.length ?? 0);
    at += 4;
    if (file) out.set(file, at);
    at += file?.length ?? 0;
  }
  return out;
}

/** The files of a batch answer in request order (null: not served). Throws if it is cut short. */
export function decodeThumbnailBatch(bytes: Uint8Array, expected: number): (Uint8Array | null)[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const files: (Uint8Array | null)[] = [];
  let at = 0;
  while (files.length < expected) {
    if (at + 4 > bytes.length)
      throw new Error(`Thumbnail batch cut short after ${files.length} of ${expected}.`);
    const length = view.getUint32(at);
    at += 4;
    if (at + length > bytes.length)
      throw new Error(`Thumbnail batch cut short in file ${files.length + 1} of ${expected}.`);
    files.push(length === 0 ? null : bytes.subarray(at, at + length));
    at += length;
  }
  return files;
}
