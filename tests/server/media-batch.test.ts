import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeThumbnailBatch,
  encodeThumbnailBatch,
  THUMBNAIL_BATCH_MAX,
} from '../../src/shared/thumbnail-batch';
import { type Fixture, send, startFixture } from './helpers';

// GET /media/batch: several thumbnails in one answer, each resolved like a single media request.
let f: Fixture;
let thumb: Buffer;
beforeAll(async () => {
  f = await startFixture();
  thumb = await readFile(join(f.roots.thumbs, 'ab.webp'));
});
afterAll(() => f.cleanup());

const batch = (paths: string[], headers: Record<string, string> = { 'x-komorebi-token': f.token }) =>
  send(f.port, `/media/batch?${paths.map((p) => `path=${encodeURIComponent(p)}`).join('&')}`, { headers });

describe('GET /media/batch', () => {
  it('answers every path in order, the thumbnails byte for byte and nothing for what is refused', async () => {
    const paths = [
      'thumbs/ab.webp',
      'thumbs/missing.webp',
      'folder/1/trip/beach.jpg', // a photo, not a thumbnail: batches carry thumbnails only
      'thumbs/../outside/secret.jpg',
      'thumbs/%2e%2e/%2e%2e/outside/secret.jpg',
      'thumbs/ab.webp',
    ];
    const reply = await batch(paths);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/octet-stream');
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    const files = decodeThumbnailBatch(new Uint8Array(reply.body), paths.length);
    expect(files.map((file) => (file ? Buffer.from(file).equals(thumb) : null))).toEqual([
      true,
      null,
      null,
      null,
      null,
      true,
    ]);
    expect(reply.body.includes(Buffer.from('not for the window'))).toBe(false);
    // The bytes are a real image a browser can decode.
    expect((await sharp(Buffer.from(files[0]!)).metadata()).format).toBe('webp');
  });

  it('needs the token like every media request', async () => {
    expect((await batch(['thumbs/ab.webp'], {})).status).toBe(401);
  });

  it('refuses a batch of none or of too many with 400 and says how many it takes', async () => {
    const none = await send(f.port, '/media/batch', { headers: { 'x-komorebi-token': f.token } });
    expect(none.status).toBe(400);
    const many = await batch(Array.from({ length: THUMBNAIL_BATCH_MAX + 1 }, () => 'thumbs/ab.webp'));
    expect(many.status).toBe(400);
    expect(many.text).toContain(String(THUMBNAIL_BATCH_MAX));
  });
});

describe('the batch format', () => {
  it('round-trips files and gaps, and says so when an answer is cut short', () => {
    const files = [new Uint8Array([1, 2, 3]), null, new Uint8Array([9])];
    const bytes = encodeThumbnailBatch(files);
    expect(decodeThumbnailBatch(bytes, 3)).toEqual(files);
    expect(() => decodeThumbnailBatch(bytes.subarray(0, bytes.length - 1), 3)).toThrow(
      /cut short in file 3 of 3/,
    );
    expect(() => decodeThumbnailBatch(bytes, 4)).toThrow(/cut short after 3 of 4/);
  });
});
