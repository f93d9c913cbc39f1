import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaRoots } from '../../src/main/core/ports';
import { answerMediaRequest } from '../../src/main/media-response';
import { decodeThumbnailBatch } from '../../src/shared/thumbnail-batch';

// The media:// handler's answers, with real files and the fetch API types protocol.handle uses.
let dir: string;
let roots: MediaRoots;
let photo: Buffer;
beforeAll(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), 'komorebi-media-protocol-')));
  const photos = join(dir, 'Photos');
  await mkdir(photos);
  await mkdir(join(dir, 'thumbs'));
  await mkdir(join(dir, 'studio'));
  photo = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#a33' } })
    .png()
    .toBuffer();
  await writeFile(join(photos, 'red dot.png'), photo);
  await writeFile(join(dir, 'secret.png'), photo);
  await symlink(join(dir, 'secret.png'), join(photos, 'link.png'));
  roots = { thumbs: join(dir, 'thumbs'), studio: join(dir, 'studio'), folders: new Map([[4, photos]]) };
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('media:// answers', () => {
  it('serves a photo of a watched folder with its type', async () => {
    const response = await answerMediaRequest(new Request('media://local/folder/4/red%20dot.png'), roots);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await response.arrayBuffer()).equals(photo)).toBe(true);
  });

  it.each([
    'media://local.evil/folder/4/red%20dot.png',
    'media://user@local/folder/4/red%20dot.png',
    'media://local/folder/4/%2e%2e/secret.png',
    'media://local/folder/4/..%2Fsecret.png',
    'media://local/folder/4/link.png',
    'media://local/folder/5/red%20dot.png',
    'media://local/thumbs/',
  ])('refuses %s with 404', async (url) => {
    // A plain object: fetch's Request refuses to even build a URL with credentials.
    expect((await answerMediaRequest({ method: 'GET', url }, roots)).status).toBe(404);
  });

  it('answers a thumbnail batch: the thumbnails in order, nothing for a path outside the thumbnails', async () => {
    await writeFile(join(roots.thumbs, 'dot.png'), photo);
    const paths = ['thumbs/dot.png', 'thumbs/%2e%2e/secret.png', 'folder/4/red%20dot.png', 'thumbs/dot.png'];
    const url = `media://local/batch?${paths.map((p) => `path=${encodeURIComponent(p)}`).join('&')}`;
    const response = await answerMediaRequest(new Request(url), roots);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    // The window (file://) reads it with fetch(): only batches allow that cross-origin read.
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(
      (await answerMediaRequest(new Request('media://local/folder/4/red%20dot.png'), roots)).headers.get(
        'access-control-allow-origin',
      ),
    ).toBeNull();
    const files = decodeThumbnailBatch(new Uint8Array(await response.arrayBuffer()), paths.length);
    expect(files.map((file) => (file ? Buffer.from(file).equals(photo) : null))).toEqual([
      true,
      null,
      null,
      true,
    ]);
    expect((await answerMediaRequest(new Request('media://local/batch'), roots)).status).toBe(400);
    expect(
      (await answerMediaRequest({ method: 'GET', url: url.replace('//local/', '//local.evil/') }, roots))
        .status,
    ).toBe(404);
  });

  it('refuses anything but GET and HEAD', async () => {
    const post = new Request('media://local/folder/4/red%20dot.png', { method: 'POST', body: 'x' });
    expect((await answerMediaRequest(post, roots)).status).toBe(404);
  });
});
