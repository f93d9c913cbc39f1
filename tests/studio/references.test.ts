import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import exifr from 'exifr';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioError } from '../../src/main/core/studio/errors';
import { prepareReference, referenceFileName, toDataUrl } from '../../src/main/core/studio/references';
import { writeGeotaggedPhoto } from './fixtures';

describe('prepareReference', () => {
  let dir: string;
  let photo: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'komorebi-refs-'));
    photo = join(dir, 'IMG_0001 holiday.jpg');
    await writeGeotaggedPhoto(photo);
    // The fixture must really carry what we claim to strip.
    expect(await exifr.gps(photo)).toMatchObject({ latitude: expect.closeTo(48.8567, 3) });
    const meta = await sharp(photo).metadata();
    expect(meta.icc).toBeDefined();
    expect(meta.xmp).toBeDefined();
    expect(meta.orientation).toBe(6);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('downscales to the long-side limit, upright per EXIF orientation', async () => {
    const ref = await prepareReference(photo, { maxSide: 1024 });
    // Stored 3000x2000 sideways: upright it is portrait.
    expect(ref.width).toBe(683);
    expect(ref.height).toBe(1024);
    const meta = await sharp(ref.buffer).metadata();
    expect(meta.format).toBe('jpeg');
    expect([meta.width, meta.height]).toEqual([683, 1024]);
    expect(ref.mime).toBe('image/jpeg');
  });

  it('uses 1536 px by default and never enlarges a small photo', async () => {
    const big = await prepareReference(photo);
    expect(Math.max(big.width, big.height)).toBe(1536);
    const small = join(dir, 'small.png');
    await sharp({
      create: { width: 300, height: 200, channels: 4, background: { r: 10, g: 20, b: 30, alpha: 0.5 } },
    })
      .png()
      .toFile(small);
    const ref = await prepareReference(small);
    expect([ref.width, ref.height]).toEqual([300, 200]);
    expect(ref.mime).toBe('image/png'); // transparency kept
  });

  it('strips EXIF, GPS, ICC and XMP from what is sent', async () => {
    const ref = await prepareReference(photo, { maxSide: 800 });
    const meta = await sharp(ref.buffer).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.iptc).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    expect(await exifr.gps(ref.buffer)).toBeUndefined();
    expect(await exifr.parse(ref.buffer, { tiff: true, xmp: true, icc: true, iptc: true })).toBeUndefined();
    expect(ref.buffer.includes(Buffer.from('Secret Serial'))).toBe(false);
    expect(ref.buffer.includes(Buffer.from('Jane Private'))).toBe(false);
  });

  it('leaves the original file byte-for-byte untouched', async () => {
    const before = createHash('sha256')
      .update(await readFile(photo))
      .digest('hex');
    const mtime = (await stat(photo)).mtimeMs;
    await prepareReference(photo, { maxSide: 512 });
    await prepareReference(photo, { maxSide: 512, format: 'png' });
    expect(
      createHash('sha256')
        .update(await readFile(photo))
        .digest('hex'),
    ).toBe(before);
    expect((await stat(photo)).mtimeMs).toBe(mtime);
  });

  it('names uploads generically and builds data URLs', async () => {
    const ref = await prepareReference(photo, { maxSide: 256 });
    expect(referenceFileName(ref, 0)).toBe('reference-1.jpg');
    expect(toDataUrl(ref).startsWith('data:image/jpeg;base64,/9j/')).toBe(true);
  });

  it('reports a missing or unreadable photo as a bad-reference StudioError naming the file', async () => {
    const missing = join(dir, 'gone.jpg');
    await expect(prepareReference(missing)).rejects.toMatchObject({
      kind: 'bad-reference',
      retryable: false,
    });
    const junk = join(dir, 'junk.jpg');
    await writeFile(junk, 'not an image');
    const err = await prepareReference(junk).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StudioError);
    expect((err as StudioError).message).toContain(junk);
  });
});
