// The tensor a photo becomes must be exactly what the original workflow's transform gives for
// resnet50 (timm's defaults, docs/decisions/0015): Resize(256, bicubic) on the short side,
// CenterCrop(224) (Python rounding), ToTensor, Normalize(ImageNet mean/std), NCHW. Expected values
// are computed here from that definition; tests/embed/resnet50-parity.test.ts compares with PIL.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { loadManifest, type ModelManifest, resizeShortSide } from '../../src/main/core/embed/manifest';
import { planResizeCrop, preprocessImage, roundHalfEven } from '../../src/main/core/embed/preprocess';
import { seededRandom } from './helpers';

const resnet = loadManifest('resources/models/resnet50.json');
const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];
const S = 224;
const P = S * S;

/** timm/torch: ToTensor then Normalize, one channel value. */
const norm = (v: number, c: number) => (v / 255 - MEAN[c]!) / STD[c]!;

function expectClose(actual: Float32Array, expected: number[] | Float32Array, tol = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  expect(worst).toBeLessThanOrEqual(tol);
}

async function rawPng(pixels: Buffer, width: number, height: number, channels: 3 | 4 = 3): Promise<Buffer> {
  return sharp(pixels, { raw: { width, height, channels } }).png().toBuffer();
}

describe('resize and crop geometry (torchvision Resize(int) + CenterCrop)', () => {
  it('uses floor(224 / 0.875) = 256 as the short side for resnet50', () => {
    expect(resizeShortSide(resnet)).toBe(256);
  });

  it('rounds halves to even like Python round()', () => {
    expect([0.5, 1.5, 2.5, 5.5, 6.5, 44.5, 3].map(roundHalfEven)).toEqual([0, 2, 2, 6, 6, 44, 3]);
  });

  it('keeps the aspect ratio with a truncated long side and centres the crop', () => {
    // 640x480: short 480 -> 256, long int(256 * 640 / 480) = int(341.33) = 341;
    // left = round(117 / 2 = 58.5) = 58, top = round(32 / 2) = 16.
    expect(planResizeCrop(640, 480, 256, 224)).toEqual({
      resizeWidth: 341,
      resizeHeight: 256,
      left: 58,
      top: 16,
      size: 224,
    });
    // Portrait 3000x4000: long int(256 * 4000 / 3000) = int(341.33) = 341; left 16, top 58.
    expect(planResizeCrop(3000, 4000, 256, 224)).toEqual({
      resizeWidth: 256,
      resizeHeight: 341,
      left: 16,
      top: 58,
      size: 224,
    });
    // Square, with another short side (timm's pretrained crop_pct 0.95 gives 235): round(5.5) = 6.
    expect(planResizeCrop(1000, 1000, 235, 224)).toEqual({
      resizeWidth: 235,
      resizeHeight: 235,
      left: 6,
      top: 6,
      size: 224,
    });
  });
});

describe('preprocessImage for resnet50', () => {
  it('crops an image whose short side is already 256 without resampling, at Python-rounded offsets', async () => {
    // 257x256 of noise: no resize; left = round(33 / 2 = 16.5) = 16 (not 17), top = round(16) = 16.
    const w = 257;
    const h = 256;
    const r = seededRandom(3);
    const px = Buffer.alloc(w * h * 3);
    for (let i = 0; i < px.length; i++) px[i] = Math.floor(r() * 256);
    const tensor = await preprocessImage(await rawPng(px, w, h), resnet);
    const expected = new Array<number>(3 * P);
    for (let c = 0; c < 3; c++)
      for (let y = 0; y < S; y++)
        for (let x = 0; x < S; x++)
          expected[c * P + y * S + x] = norm(px[((y + 16) * w + (x + 16)) * 3 + c]!, c);
    expectClose(tensor, expected);
  });

  it('scales and crops colour bands to where the definition puts them', async () => {
    // 512x1024 of 40-pixel horizontal bands: resized to 256x512 (bands 20 px), top = (512 - 224) / 2 = 144.
    const w = 512;
    const h = 1024;
    const bandColour = (b: number) => [(b * 53) % 256, (b * 101 + 40) % 256, (b * 29 + 200) % 256];
    const px = Buffer.alloc(w * h * 3);
    for (let y = 0; y < h; y++) {
      const col = bandColour(Math.floor(y / 40));
      for (let x = 0; x < w; x++) px.set(col, (y * w + x) * 3);
    }
    const tensor = await preprocessImage(await rawPng(px, w, h), resnet);
    let checked = 0;
    for (let y = 0; y < S; y++) {
      const resizedRow = y + 144;
      const offset = resizedRow % 20;
      if (offset < 3 || offset > 16) continue; // near a band edge the bicubic kernel mixes bands
      const col = bandColour(Math.floor(resizedRow / 20));
      for (const x of [0, 100, 223]) {
        for (let c = 0; c < 3; c++) expect(tensor[c * P + y * S + x]).toBeCloseTo(norm(col[c]!, c), 5);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(300);
  });

  it('enlarges a photo smaller than the resize target as PIL does, pixel centres aligned', async () => {
    // 240x200 of 3-pixel vertical stripes -> 307x256 (scale 1.279), left = round(83 / 2 = 41.5) = 42.
    // Expected: PIL's bicubic (a = -0.5) when enlarging, from its definition: input x sampled at
    // (X + 0.5) * in / out, weights normalised at the borders.
    const w = 240;
    const h = 200;
    const col = (x: number) => (Math.floor(x / 3) % 2 ? 230 : 20);
    const px = Buffer.alloc(w * h * 3);
    for (let i = 0; i < w * h; i++) px.fill(col(i % w), i * 3, i * 3 + 3);
    const cubic = (d: number) => {
      const a = -0.5;
      const x = Math.abs(d);
      return x < 1 ? ((a + 2) * x - (a + 3)) * x * x + 1 : x < 2 ? (((x - 5) * x + 8) * x - 4) * a : 0;
    };
    const pil = (X: number) => {
      const center = ((X + 0.5) * w) / 307;
      let sum = 0;
      let acc = 0;
      for (let x = Math.max(Math.trunc(center - 1.5), 0); x < Math.min(Math.trunc(center + 2.5), w); x++) {
        sum += cubic(x - center + 0.5);
        acc += cubic(x - center + 0.5) * col(x);
      }
      return Math.min(255, Math.max(0, acc / sum));
    };
    const t = await preprocessImage(await rawPng(px, w, h), resnet);
    let worst = 0;
    for (const y of [0, 100, 223])
      for (let x = 0; x < S; x++)
        worst = Math.max(worst, Math.abs(t[y * S + x]! - norm(pil(x + 42), 0)) * STD[0]! * 255);
    expect(worst).toBeLessThan(3); // levels of 255; sharp's resize() is about 100 off here
  });

  it('applies EXIF orientation before cropping', async () => {
    // Left half red, right half blue, stored with orientation 6 (display rotated 90 degrees clockwise):
    // the displayed photo has red on top and blue at the bottom.
    const w = 400;
    const h = 300;
    const px = Buffer.alloc(w * h * 3);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) px.set(x < w / 2 ? [255, 0, 0] : [0, 0, 255], (y * w + x) * 3);
    const jpeg = await sharp(px, { raw: { width: w, height: h, channels: 3 } })
      .jpeg({ quality: 100 })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    expect((await sharp(jpeg).metadata()).orientation).toBe(6);
    const t = await preprocessImage(jpeg, resnet);
    const red = (y: number, x: number) => t[0 * P + y * S + x]!;
    const blue = (y: number, x: number) => t[2 * P + y * S + x]!;
    expect(red(20, 112)).toBeGreaterThan(norm(230, 0));
    expect(blue(20, 112)).toBeLessThan(norm(25, 2));
    expect(red(200, 112)).toBeLessThan(norm(25, 0));
    expect(blue(200, 112)).toBeGreaterThan(norm(230, 2));
  });

  it('composites transparent pixels onto white', async () => {
    const w = 240;
    const px = Buffer.alloc(w * w * 4); // RGBA all zero: transparent black
    const t = await preprocessImage(await rawPng(px, w, w, 4), resnet);
    const expected = Array.from({ length: 3 * P }, (_, i) => norm(255, Math.floor(i / P)));
    expectClose(t, expected);
  });

  it('turns a greyscale photo into three equal channels', async () => {
    const w = 256;
    const px = Buffer.alloc(w * w);
    for (let i = 0; i < px.length; i++) px[i] = i % 251;
    const png = await sharp(px, { raw: { width: w, height: w, channels: 1 } })
      .png()
      .toBuffer();
    const t = await preprocessImage(png, resnet);
    for (const p of [0, 1000, 30000, P - 1]) {
      const v = px[(Math.floor(p / S) + 16) * w + (p % S) + 16]!;
      for (let c = 0; c < 3; c++) expect(t[c * P + p]).toBeCloseTo(norm(v, c), 6);
    }
  });

  it('writes NHWC and BGR when a manifest asks for them', async () => {
    const w = 256;
    const r = seededRandom(9);
    const px = Buffer.alloc(w * w * 3);
    for (let i = 0; i < px.length; i++) px[i] = Math.floor(r() * 256);
    const png = await rawPng(px, w, w);
    const nchw = await preprocessImage(png, resnet);
    const variant = (layout: 'nchw' | 'nhwc', channelOrder: 'rgb' | 'bgr'): ModelManifest => ({
      ...resnet,
      input: { ...resnet.input, layout, channelOrder },
    });
    const nhwc = await preprocessImage(png, variant('nhwc', 'rgb'));
    const bgr = await preprocessImage(png, variant('nchw', 'bgr'));
    for (const p of [0, 777, 50000, P - 1]) {
      for (let c = 0; c < 3; c++) {
        expect(nhwc[p * 3 + c]).toBe(nchw[c * P + p]);
        expect(bgr[(2 - c) * P + p]).toBe(nchw[c * P + p]);
      }
    }
  });

  it('reads from a file path as from bytes, and names unreadable input', async () => {
    const { makeTempDir } = await import('./helpers');
    const tmp = makeTempDir();
    try {
      const png = await sharp({ create: { width: 300, height: 260, channels: 3, background: '#3a7' } })
        .png()
        .toBuffer();
      const file = `${tmp.dir}/a.png`;
      await sharp(png).toFile(file);
      expectClose(await preprocessImage(file, resnet), await preprocessImage(png, resnet), 0);
      await expect(preprocessImage(Buffer.from('not an image'), resnet)).rejects.toThrow(
        /unsupported image format/,
      );
    } finally {
      tmp.remove();
    }
  });
});
