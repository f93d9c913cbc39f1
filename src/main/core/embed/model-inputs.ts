// One decode per photo (decision 0027): ingest decodes a new photo once for its previews and,
// from those same pixels, makes the active model's input with modelRgbFromPixels (the manifest's
// resize, crop and flatten, exactly as from the file; in the preview thread, decision 0065), and
// ModelInputs keeps it. The embedding job then sends these few bytes to the worker
// instead of a path the worker would decode again. Kept in memory only, and bounded: an input
// that is not used in time (or lost in a quit) just means the worker decodes the original.
import sharp from 'sharp';
import type { DecodedPhoto } from '../ingest/thumbnails';
import type { ModelManifest } from './manifest';
import { resizeCropRgb } from './preprocess';

/** Raw pixels decoded once, oriented, possibly shrunk: the large preview's pixels. */
export type SharedPixels = DecodedPhoto;

/**
 * The model's size x size RGB bytes from pixels already decoded. The resize and crop are
 * planned from the original's oriented size, as they are for the file, so only the
 * resampling path differs (shrink-on-load then the manifest's kernel, from the preview).
 */
export function modelRgbFromPixels(
  pixels: SharedPixels,
  original: { width: number; height: number },
  manifest: ModelManifest,
): Promise<Buffer> {
  const raw = { width: pixels.width, height: pixels.height, channels: pixels.channels };
  return resizeCropRgb(sharp(pixels.data, { raw }), original.width, original.height, manifest);
}

export class ModelInputs {
  private readonly ready = new Map<string, Uint8Array>();

  constructor(
    private readonly activeModel: () => ModelManifest | null,
    /** At 224 x 224 x 3 bytes each, 512 inputs are 77 MB at most. */
    private readonly capacity = 512,
  ) {}

  /** The model whose input a new photo's decode should make now, if any. */
  wanted(): ModelManifest | null {
    return this.activeModel();
  }

  /** Keeps the input made at ingest for `hash`, if it is still for the active model. */
  keep(hash: string, modelId: string, rgb: Uint8Array): void {
    if (this.activeModel()?.id === modelId) this.put(`${modelId}:${hash}`, rgb);
  }

  /** The input made at ingest for this photo and model, once (it is forgotten when taken). */
  take(hash: string, modelId: string): Uint8Array | undefined {
    const key = `${modelId}:${hash}`;
    const rgb = this.ready.get(key);
    this.ready.delete(key);
    return rgb;
  }

  /** The model changed: inputs made for another one are of no use. */
  clear(): void {
    this.ready.clear();
  }

  get size(): number {
    return this.ready.size;
  }

  private put(key: string, rgb: Uint8Array): void {
    this.ready.delete(key);
    this.ready.set(key, rgb);
    while (this.ready.size > this.capacity) {
      const oldest = this.ready.keys().next().value;
      if (oldest === undefined) break;
      this.ready.delete(oldest);
    }
  }
}
