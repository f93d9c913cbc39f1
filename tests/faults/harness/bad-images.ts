import { Readable } from 'node:stream';
import { crc32, createDeflate } from 'node:zlib';
import sharp from 'sharp';
import { photo } from './photos';

/** What each bad image is, and what the library must make of it. */
export interface BadImage {
  name: string;
  bytes: Buffer;
  /** 'ok': indexed like any photo; 'problem': listed with a reason matching `reason`. */
  expect: 'ok' | 'problem';
  reason?: RegExp;
  /** For oriented photos: the width x height the thumbnail must have once turned upright. */
  upright?: { width: number; height: number };
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A minimal big-endian TIFF holding one EXIF tag, Orientation = n (the PNG eXIf chunk). */
function orientationExif(n: number): Buffer {
  const b = Buffer.alloc(26);
  b.write('MM', 0, 'latin1');
  b.writeUInt16BE(42, 2);
  b.writeUInt32BE(8, 4);
  b.writeUInt16BE(1, 8); // one entry
  b.writeUInt16BE(0x0112, 10);
  b.writeUInt16BE(3, 12); // SHORT
  b.writeUInt32BE(1, 14);
  b.writeUInt16BE(n, 18);
  b.writeUInt32BE(0, 22); // no next IFD
  return b;
}

function ihdr(width: number, height: number): Buffer {
  const d = Buffer.alloc(13);
  d.writeUInt32BE(width, 0);
  d.writeUInt32BE(height, 4);
  d[8] = 8; // bit depth
  d[9] = 2; // RGB
  return chunk('IHDR', d);
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * A large PNG written without ever holding its pixels: a solid colour with a stripe, rows
 * deflated as a stream, an eXIf chunk with the orientation. About 1 MB on disk.
 */
export async function bigPng(
  width: number,
  height: number,
  orientation: number,
  shade: number,
): Promise<Buffer> {
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set([shade, 255 - shade, (x * 7) & 255], 1 + x * 3);
  const stripe = Buffer.from(row);
  for (let x = 0; x < width / 8; x++) stripe.set([255, 255, 255], 1 + x * 3);
  function* rows() {
    for (let y = 0; y < height; y++) yield y < height / 8 ? stripe : row;
  }
  const parts: Buffer[] = [];
  const deflate = Readable.from(rows()).pipe(createDeflate({ level: 1 }));
  for await (const part of deflate) parts.push(part as Buffer);
  return Buffer.concat([
    SIGNATURE,
    ihdr(width, height),
    chunk('eXIf', orientationExif(orientation)),
    chunk('IDAT', Buffer.concat(parts)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A PNG that declares width x height but holds almost no data: a decompression bomb's header. */
function declaredBomb(width: number, height: number): Buffer {
  return Buffer.concat([
    SIGNATURE,
    ihdr(width, height),
    chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A JPEG with a hand-made APP1 segment inserted after SOI. */
function withApp1(jpeg: Buffer, payload: Buffer): Buffer {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(payload.length + 2, 0);
  return Buffer.concat([jpeg.subarray(0, 2), Buffer.from([0xff, 0xe1]), len, payload, jpeg.subarray(2)]);
}

/** Every kind of bad (or merely unusual) image the issue lists, small ones first. */
export async function badImages(): Promise<BadImage[]> {
  const jpeg = await photo(90_001, 320, 200);
  const png = await sharp(await photo(90_002, 320, 200))
    .png()
    .toBuffer();
  const frames = 3000;
  const gifPixels = Buffer.alloc(16 * 16 * frames * 3);
  // A white dot walking across black: consecutive frames always differ, so none are merged.
  for (let f = 0; f < frames; f++) gifPixels.fill(255, f * 768 + (f % 256) * 3, f * 768 + (f % 256) * 3 + 3);
  const out: BadImage[] = [
    { name: 'zero-bytes.jpg', bytes: Buffer.alloc(0), expect: 'problem', reason: /empty \(0 bytes\)/ },
    {
      name: 'truncated.jpg',
      bytes: jpeg.subarray(0, Math.floor(jpeg.length / 2)),
      expect: 'problem',
      reason: /truncated or corrupt/,
    },
    {
      name: 'truncated.png',
      bytes: png.subarray(0, Math.floor(png.length / 2)),
      expect: 'problem',
      reason: /truncated or corrupt/,
    },
    {
      name: 'a-png-named.jpg',
      bytes: await sharp(await photo(90_003, 320, 200))
        .png()
        .toBuffer(),
      expect: 'ok',
    },
    {
      name: 'notes-named.jpg',
      bytes: Buffer.from('these are my notes, not a photo\n'),
      expect: 'problem',
      reason: /Not an image/,
    },
    {
      name: 'bomb-50000.png',
      bytes: declaredBomb(50_000, 50_000),
      expect: 'problem',
      reason: /image bomb.*50000 x 50000/,
    },
    {
      name: 'exif-malformed.jpg',
      bytes: withApp1(
        await photo(90_004, 320, 200),
        Buffer.concat([Buffer.from('Exif\0\0MM\0*\0\0\0\x08\xff\xff'), Buffer.alloc(40, 0xab)]),
      ),
      expect: 'ok',
    },
    {
      name: 'exif-huge.jpg',
      bytes: await sharp(await photo(90_005, 320, 200))
        .withExif({ IFD0: { ImageDescription: 'x'.repeat(60_000), Artist: 'y'.repeat(2_000) } })
        .jpeg()
        .toBuffer(),
      expect: 'ok',
    },
    {
      name: 'animated-3000-frames.gif',
      bytes: await sharp(gifPixels, {
        raw: { width: 16, height: 16 * frames, channels: 3, pageHeight: 16 },
      } as never)
        .gif()
        .toBuffer(),
      expect: 'ok',
    },
    {
      name: 'cmyk.jpg',
      bytes: await sharp(await photo(90_006, 320, 200))
        .toColourspace('cmyk')
        .jpeg()
        .toBuffer(),
      expect: 'ok',
    },
    {
      name: 'sixteen-bit.png',
      bytes: await sharp(await photo(90_007, 320, 200))
        .toColourspace('rgb16')
        .png()
        .toBuffer(),
      expect: 'ok',
    },
  ];
  for (let o = 1; o <= 8; o++) {
    out.push({
      name: `orientation-${o}.jpg`,
      bytes: await sharp(await photo(90_010 + o, 320, 200))
        .withMetadata({ orientation: o })
        .jpeg()
        .toBuffer(),
      expect: 'ok',
      upright: o >= 5 ? { width: 200, height: 320 } : { width: 320, height: 200 },
    });
  }
  return out;
}

/** Eight 16,000 x 16,000 PNGs (256 MP each, just under sharp's limit), each with its own orientation. */
export async function bigOrientedPngs(side = 16_000): Promise<BadImage[]> {
  const out: BadImage[] = [];
  for (let o = 1; o <= 8; o++) {
    out.push({
      name: `big-${side}-orientation-${o}.png`,
      bytes: await bigPng(side, side, o, 20 + o * 25),
      expect: 'ok',
    });
  }
  return out;
}
