// What a new photo's one decode makes (decision 0027): its previews on disk and, when a model
// is active, that model's input pixels. The same function runs in the preview thread
// (preview-thread.ts) and, where no thread is available, on the calling thread.

import type { ModelManifest } from '../embed/manifest';
import { modelRgbFromPixels } from '../embed/model-inputs';
import { makeThumbnails, type PreviewEncoding, type PreviewFormat } from './thumbnails';

export interface PreviewRequest {
  /** The real path of the photo to decode. */
  source: string;
  hash: string;
  thumbsDir: string;
  maxPixels: number;
  encoding: PreviewEncoding;
  /** The active model and the photo's oriented size: its input is made from the same decode. */
  model?: { manifest: ModelManifest; original: { width: number; height: number } };
}

export interface PreviewResult {
  format: PreviewFormat;
  /** The model's input (size x size x 3 bytes), when asked for and it could be made. */
  rgb?: Uint8Array;
}

/** Makes a new photo's previews (and model input); throws sharp's or the file system's error. */
export async function makePreviews(req: PreviewRequest): Promise<PreviewResult> {
  let rgb: Uint8Array | undefined;
  const model = req.model;
  const format = await makeThumbnails(req.source, req.hash, req.thumbsDir, req.maxPixels, {
    encoding: req.encoding,
    alsoFrom:
      model &&
      (async (pixels) => {
        try {
          // Its own ArrayBuffer, so it can be transferred without copying a pool.
          rgb = new Uint8Array(await modelRgbFromPixels(pixels, model.original, model.manifest));
        } catch {
          // Unusual pixels (a colour space sharp cannot convert from raw): the embed worker decodes the file.
        }
      }),
  });
  return { format, rgb };
}
