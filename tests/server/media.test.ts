import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentTypeFor, resolveMediaPath } from '../../src/main/core/media';
import { openMediaFile, READ_AT_ONCE_BYTES } from '../../src/main/core/media-file';
import { type Fixture, send, startFixture } from './helpers';

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(() => f.cleanup());

const get = (path: string, headers: Record<string, string> = {}) =>
  send(f.port, `/media/${path}`, { headers: { 'x-komorebi-token': f.token, ...headers } });

describe('GET /media/', () => {
  it('serves a real photo inside a watched folder with its type and a private cache policy', async () => {
    const reply = await get('folder/1/trip/beach.jpg');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('image/jpeg');
    expect(reply.headers['cache-control']).toMatch(/^private, max-age=\d+/);
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.body.equals(f.photo)).toBe(true);
  });

  it('serves thumbnails and percent-encoded names', async () => {
    expect((await get('thumbs/ab.webp')).headers['content-type']).toBe('image/webp');
    expect((await get('folder/1/trip/beach%2Ejpg')).status).toBe(200);
  });

  it('answers a byte range with 206 and the right slice', async () => {
    const reply = await get('folder/1/trip/beach.jpg', { range: 'bytes=2-9' });
    expect(reply.status).toBe(206);
    expect(reply.headers['content-range']).toBe(`bytes 2-9/${f.photo.length}`);
    expect(reply.body.equals(f.photo.subarray(2, 10))).toBe(true);
    const past = await get('folder/1/trip/beach.jpg', { range: `bytes=${f.photo.length + 5}-` });
    expect(past.status).toBe(416);
  });

  const refused = [
    ['plain ..', 'folder/1/../../outside/secret.jpg'],
    ['.. right after the root', 'folder/1/..%2F..%2Foutside%2Fsecret.jpg'],
    ['%2e%2e', 'folder/1/%2e%2e/%2e%2e/outside/secret.jpg'],
    ['%2e%2e%2f in one segment', 'folder/1/%2e%2e%2f%2e%2e%2foutside%2fsecret.jpg'],
    ['double-encoded %252e%252e', 'folder/1/%252e%252e/%252e%252e/outside/secret.jpg'],
    ['double-encoded slash', 'folder/1/%252e%252e%252f%252e%252e%252foutside%252fsecret.jpg'],
    ['backslash', 'folder/1/..%5C..%5Coutside%5Csecret.jpg'],
    ['NUL byte', 'folder/1/trip/beach.jpg%00.png'],
    ['absolute path after the prefix', 'folder/1//etc/passwd'],
    ['absolute path as the whole media path', '%2Fetc%2Fpasswd'],
    ['absolute path with an encoded slash', 'folder/1/%2Fetc%2Fpasswd'],
    ['a symlink inside a watched folder pointing outside', 'folder/1/link-out.jpg'],
    ['a file under a symlinked directory pointing outside', 'folder/1/dir-out/secret.jpg'],
    ['an unknown folder id', 'folder/2/trip/beach.jpg'],
    ['a folder id that is not a number', 'folder/1e0/trip/beach.jpg'],
    ['a directory', 'folder/1/trip'],
    ['a missing file', 'folder/1/trip/nope.jpg'],
    ['an unknown area', 'etc/passwd'],
    ['./ segments', 'folder/1/./trip/beach.jpg'],
    ['malformed percent-encoding', 'folder/1/trip/%E0%A4%A.jpg'],
    ['an HTML file in a watched folder (not a media type)', 'folder/1/notes.html'],
  ] as const;
  it.each(refused)('refuses %s with a 404 that names no path', async (_name, path) => {
    const reply = await get(path);
    expect(reply.status).toBe(404);
    expect(reply.text).toBe('Not found');
    expect(reply.text).not.toContain(f.dir);
  });
});

// Thumbnails and studio outputs are read at once, without libuv's threadpool (decision 0056):
// the same answers and the same refusals as the streamed originals.
describe("GET /media/ for the app's own files", () => {
  let page: Buffer;
  beforeAll(async () => {
    page = Buffer.alloc(READ_AT_ONCE_BYTES + 10, 7);
    await writeFile(join(f.roots.studio, 'page.png'), page);
    await writeFile(join(f.roots.thumbs, 'notes.html'), '<script>alert(1)</script>');
    await mkdir(join(f.roots.thumbs, 'sub.jpg'));
    await symlink(join(f.outside, 'secret.jpg'), join(f.roots.thumbs, 'link-out.jpg'));
    await symlink(f.outside, join(f.roots.studio, 'dir-out'));
  });

  it('serves a thumbnail whole, by range, by HEAD, and as not modified', async () => {
    const whole = await get('thumbs/ab.webp');
    expect(whole.status).toBe(200);
    expect(Number(whole.headers['content-length'])).toBe(whole.body.length);
    const range = await get('thumbs/ab.webp', { range: 'bytes=4-11' });
    expect(range.status).toBe(206);
    expect(range.body.equals(whole.body.subarray(4, 12))).toBe(true);
    expect(range.headers['content-range']).toBe(`bytes 4-11/${whole.body.length}`);
    const again = await get('thumbs/ab.webp', { 'if-none-match': String(whole.headers.etag) });
    expect(again.status).toBe(304);
    const head = await send(f.port, '/media/thumbs/ab.webp', {
      method: 'HEAD',
      headers: { 'x-komorebi-token': f.token },
    });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
  });

  it('streams a studio page too large to read at once, bytes intact', async () => {
    const reply = await get('studio/page.png');
    expect(reply.status).toBe(200);
    expect(reply.body.equals(page)).toBe(true);
    expect((await openMediaFile('studio/page.png', f.roots))?.bytes).toBeNull();
    expect((await openMediaFile('thumbs/ab.webp', f.roots))?.bytes?.length).toBeGreaterThan(0);
  });

  it.each([
    ['a symlink in the thumbnail cache pointing outside', 'thumbs/link-out.jpg'],
    ['a file under a symlinked directory in studio', 'studio/dir-out/secret.jpg'],
    ['.. out of the thumbnail cache', 'thumbs/../../outside/secret.jpg'],
    ['%2e%2e out of studio', 'studio/%2e%2e/%2e%2e/outside/secret.jpg'],
    ['a directory named like a photo', 'thumbs/sub.jpg'],
    ['a missing thumbnail', 'thumbs/nope.jpg'],
    ['an HTML file in the thumbnail cache', 'thumbs/notes.html'],
    ['the cache itself', 'thumbs'],
  ])('refuses %s with a 404 that names no path', async (_name, path) => {
    const reply = await get(path);
    expect(reply.status).toBe(404);
    expect(reply.text).toBe('Not found');
  });
});

describe('resolveMediaPath', () => {
  it('returns the real path of a file inside a root and null otherwise', async () => {
    expect(await resolveMediaPath('folder/1/trip/beach.jpg', f.roots)).toBe(
      `${f.roots.folders.get(1)}/trip/beach.jpg`,
    );
    expect(await resolveMediaPath('thumbs/ab.webp', f.roots)).toBe(`${f.roots.thumbs}/ab.webp`);
    expect(await resolveMediaPath('thumbs', f.roots)).toBeNull();
    expect(await resolveMediaPath('thumbs/', f.roots)).toBeNull();
    expect(await resolveMediaPath('', f.roots)).toBeNull();
    expect(await resolveMediaPath('studio/../thumbs/ab.webp', f.roots)).toBeNull();
    expect(await resolveMediaPath(`folder/1/${f.outside}/secret.jpg`, f.roots)).toBeNull();
  });

  it('refuses a root that is itself missing', async () => {
    const roots = { ...f.roots, folders: new Map([[1, `${f.dir}/gone`]]) };
    expect(await resolveMediaPath('folder/1/trip/beach.jpg', roots)).toBeNull();
  });
});

describe('contentTypeFor', () => {
  it('knows the photo formats, PDF and ZIP, and nothing script-capable', () => {
    expect(contentTypeFor('a.JPG')).toBe('image/jpeg');
    expect(contentTypeFor('a.png')).toBe('image/png');
    expect(contentTypeFor('a.webp')).toBe('image/webp');
    expect(contentTypeFor('a.gif')).toBe('image/gif');
    expect(contentTypeFor('a.avif')).toBe('image/avif');
    expect(contentTypeFor('a.tiff')).toBe('image/tiff');
    expect(contentTypeFor('a.heic')).toBe('image/heic');
    expect(contentTypeFor('comic.pdf')).toBe('application/pdf');
    expect(contentTypeFor('comic.zip')).toBe('application/zip');
    for (const name of ['a.svg', 'a.html', 'a.js', 'a', 'a.txt']) expect(contentTypeFor(name)).toBeNull();
  });
});
