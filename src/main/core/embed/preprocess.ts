// Turns a photo into the input tensor a model expects, exactly as its manifest says. For ResNet-50
// this reproduces the original workflow's transform (timm's defaults, docs/decisions/0015):
// Resize(floor(224 / 0.875) = 256, bicubic) on the short side, CenterCrop(224), ToTensor,
// Normalize(ImageNet mean/std), NCHW float32.
import sharp, { type Metadata, type Sharp } from 'sharp';
import type { ModelManifest } from './manifest';
import { resizeShortSide } from './manifest';

export interface ResizeCropPlan {
  resizeWidth: number;
  resizeHeight: number;
  left: number;
  top: number;
  size: number;
}

/** Python's round(): halves go to the even neighbour (torchvision's CenterCrop uses it). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * torchvision Resize(int): the short side becomes `shortSide`, the long side
 * int(shortSide * long / short) (truncated); then CenterCrop(size) with
 * top = round((h - size) / 2), left = round((w - size) / 2).
 */
export function planResizeCrop(
  width: number,
  height: number,
  shortSide: number,
  size: number,
): ResizeCropPlan {
  const portrait = width <= height;
  const short = portrait ? width : height;
  const long = portrait ? height : width;
  const newLong = Math.trunc((shortSide * long) / short);
  const resizeWidth = portrait ? shortSide : newLong;
  const resizeHeight = portrait ? newLong : shortSide;
  return {
    resizeWidth,
    resizeHeight,
    left: roundHalfEven((resizeWidth - size) / 2),
    top: roundHalfEven((resizeHeight - size) / 2),
    size,
  };
}

const KERNELS = { bicubic: 'cubic', bilinear: 'linear', lanczos3: 'lanczos3', nearest: 'nearest' } as const;

export interface RunningDecode {
  /** The image's size x size RGB bytes once libvips has finished. */
  rgb: Promise<Buffer>;
}

/**
 * Reads the image header (size, EXIF orientation) and starts the decode, orient, alpha-flatten,
 * resize and crop pipeline. It resolves as soon as that pipeline runs inside libvips, so the
 * caller can block its thread (onnxruntime runs synchronously) while the decode goes on.
 * JPEGs are shrunk while they load, which is most of the speed of sharp on large photos.
 */
export async function startDecode(input: string | Buffer, manifest: ModelManifest): Promise<RunningDecode> {
  const meta = await sharp(input, { autoOrient: true, failOn: 'error' }).metadata();
  const pixels = (meta.width ?? 0) * (meta.pageHeight ?? meta.height ?? 0);
  if (pixels <= LARGE_PIXELS) return decodeNow(input, manifest, meta);
  // A very large image is first shrunk as it streams in, without turning it upright: turning
  // a 16,000 x 16,000 PNG by 90 degrees at full size holds all 768 MB of it, while a shrink
  // streams in about 70 MB. The shrunk copy keeps the orientation and goes down the usual
  // path. Such images wait for each other, one at a time per thread (eight at once: 3.2 GB).
  const rgb = largeDecodes.then(async () => {
    const side = 4 * resizeShortSide(manifest);
    const shrunk = await sharp(input, { failOn: 'error' })
      .resize(side, side, { fit: 'outside', withoutEnlargement: true })
      .withMetadata({ orientation: meta.orientation ?? 1 })
      .png({ compressionLevel: 0 })
      .toBuffer();
    return (await decodeNow(shrunk, manifest, await sharp(shrunk, { autoOrient: true }).metadata())).rgb;
  });
  largeDecodes = rgb.catch(() => {});
  rgb.catch(() => {});
  return { rgb };
}

/** Images above this many pixels take the memory-bounded path of startDecode. */
const LARGE_PIXELS = 40_000_000;
let largeDecodes: Promise<unknown> = Promise.resolve();

async function decodeNow(
  input: string | Buffer,
  manifest: ModelManifest,
  meta: Metadata,
): Promise<RunningDecode> {
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  if (!width || !height) throw new Error('The image has no size (not a picture sharp can read).');
  const rgb = resizeCropRgb(sharp(input, { autoOrient: true, failOn: 'error' }), width, height, manifest);
  rgb.catch(() => {}); // the caller awaits it later; do not report it as unhandled meanwhile
  return { rgb };
}

/**
 * The manifest's resize (short side, its kernel), centre crop, alpha flatten and sRGB, applied
 * to `image` whose oriented size is `width` x `height`: the model's size x size RGB bytes.
 * Also used on pixels decoded once for the previews (model-inputs.ts), with the original's
 * size, so the crop is the one the file itself would give.
 */
export function resizeCropRgb(
  image: Sharp,
  width: number,
  height: number,
  manifest: ModelManifest,
): Promise<Buffer> {
  const size = manifest.input.size;
  const plan = planResizeCrop(width, height, resizeShortSide(manifest), size);
  const [r, g, b] = manifest.preprocess.background;
  const decoded = image.flatten({ background: { r, g, b } });
  const interpolation = manifest.preprocess.interpolation;
  const enlarging = plan.resizeWidth > width || plan.resizeHeight > height;
  if (enlarging && interpolation !== 'lanczos3') {
    return enlargeAndCrop(decoded, plan, ENLARGERS[interpolation]);
  }
  return decoded
    .resize(plan.resizeWidth, plan.resizeHeight, { fit: 'fill', kernel: KERNELS[interpolation] })
    .extract({ left: plan.left, top: plan.top, width: size, height: size })
    .toColourspace('srgb')
    .removeAlpha()
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true })
    .then(({ data, info }) => {
      if (info.channels !== 3 || data.length !== size * size * 3) {
        throw new Error(
          `Decoding gave ${info.width}x${info.height}x${info.channels}, expected ${size}x${size}x3.`,
        );
      }
      return data;
    });
}

/** sharp's interpolators for PIL's enlarging kernels (lanczos3 has none; resize() does it then). */
const ENLARGERS = { bicubic: 'bicubic', bilinear: 'bilinear', nearest: 'nearest' } as const;

/**
 * Enlarging (a photo smaller than the resize target): sharp's resize() lands about 7 levels per
 * pixel away from PIL on a 400x250 JPEG, while an affine transform with PIL's pixel-centre alignment
 * (output x samples input (x + 0.5) / scale - 0.5) lands 0.1 away (docs/decisions/0015). sharp runs
 * affine after extract in one pipeline, so the crop is cut from the enlarged pixels here.
 */
async function enlargeAndCrop(
  decoded: Sharp,
  plan: ResizeCropPlan,
  interpolator: (typeof ENLARGERS)[keyof typeof ENLARGERS],
): Promise<Buffer> {
  const { data, info } = await decoded
    .toColourspace('srgb')
    .removeAlpha()
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  const sx = plan.resizeWidth / info.width;
  const sy = plan.resizeHeight / info.height;
  const big = await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } })
    .affine([sx, 0, 0, sy], {
      interpolator: sharp.interpolators[interpolator],
      odx: (sx - 1) / 2,
      ody: (sy - 1) / 2,
    })
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  const { size, left, top } = plan;
  if (big.info.channels !== 3 || big.info.width < left + size || big.info.height < top + size) {
    throw new Error(
      `Enlarging gave ${big.info.width}x${big.info.height}x${big.info.channels}, too small to crop.`,
    );
  }
  const row = size * 3;
  const out = Buffer.alloc(size * row);
  for (let y = 0; y < size; y++) {
    const from = ((top + y) * big.info.width + left) * 3;
    big.data.copy(out, y * row, from, from + row);
  }
  return out;
}

/** Decodes a photo to the model's size x size RGB bytes (see startDecode). */
export async function loadResizedRgb(input: string | Buffer, manifest: ModelManifest): Promise<Buffer> {
  return (await startDecode(input, manifest)).rgb;
}

/**
 * Per-channel lookup tables from byte value to normalised float, computed in float32 steps like
 * torch: x = v / 255; (x - mean) / std.
 */
function normalisationTables(manifest: ModelManifest): Float32Array[] {
  const { mean, std } = manifest.preprocess;
  const f = Math.fround;
  return [0, 1, 2].map((c) => {
    const t = new Float32Array(256);
    for (let v = 0; v < 256; v++) t[v] = f(f(f(v / 255) - f(mean[c]!)) / f(std[c]!));
    return t;
  });
}

const tableCache = new WeakMap<ModelManifest, Float32Array[]>();

/** HWC RGB bytes -> float tensor in the manifest's layout (NCHW/NHWC) and channel order (RGB/BGR). */
export function rgbToTensor(rgb: Uint8Array, manifest: ModelManifest): Float32Array {
  let tables = tableCache.get(manifest);
  if (!tables) {
    tables = normalisationTables(manifest);
    tableCache.set(manifest, tables);
  }
  const pixels = rgb.length / 3;
  const out = new Float32Array(rgb.length);
  // Source channel feeding each output channel slot.
  const order = manifest.input.channelOrder === 'bgr' ? [2, 1, 0] : [0, 1, 2];
  for (let slot = 0; slot < 3; slot++) {
    const c = order[slot]!;
    const t = tables[c]!;
    if (manifest.input.layout === 'nchw') {
      const base = slot * pixels;
      for (let p = 0; p < pixels; p++) out[base + p] = t[rgb[p * 3 + c]!]!;
    } else {
      for (let p = 0; p < pixels; p++) out[p * 3 + slot] = t[rgb[p * 3 + c]!]!;
    }
  }
  return out;
}

/** A file path or encoded image bytes -> the model's input tensor for one image (no batch axis). */
export async function preprocessImage(
  input: string | Buffer,
  manifest: ModelManifest,
): Promise<Float32Array> {
  return rgbToTensor(await loadResizedRgb(input, manifest), manifest);
}
