// Attack: swap a reference photo of a comic for a link to a private photo outside the watched
// folder after it was added, then press Generate: the Comic Studio read the library's path as
// it was and sent whatever the link led to to OpenAI. Now it reads a reference only when its
// real path is inside its watched folder, like the scan, ingest, thumbnail and embedding jobs.
import { copyFileSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComicSession, ComicVersion } from '../../src/shared/model';
import { type FakeOpenAI, startFakeOpenAI } from '../studio/fake-openai';
import { OPTIONS } from '../studio-sessions/setup';
import { type BrowserCore, onePhotoLibrary, startBrowserCore } from './browser-core';

let app: BrowserCore;
let fake: FakeOpenAI;
let photo: string;
let privatePhoto: string;
let session: ComicSession;

const json = <T>(text: string) => JSON.parse(text) as T;

/** Generates once and waits for the version to finish; returns it and what reached OpenAI. */
async function generate(): Promise<{ version: ComicVersion; sent: Buffer[] }> {
  const before = fake.requests.length;
  const reply = await app.call('studio:generate', { id: session.id, prompt: 'A walk', options: OPTIONS });
  expect(reply.status, reply.text).toBe(200);
  const id = json<{ versionIds: number[] }>(reply.text).versionIds[0]!;
  for (const until = Date.now() + 60_000; Date.now() < until; ) {
    const got = json<ComicSession>((await app.call('studio:get', { id: session.id })).text);
    const version = got.versionList.find((v) => v.id === id)!;
    if (version.state !== 'generating') {
      return { version, sent: fake.requests.slice(before).flatMap((r) => r.images) };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the generation did not end');
}

beforeAll(async () => {
  delete process.env.OPENAI_API_KEY;
  delete process.env.OPENAI_BASE_URL;
  fake = await startFakeOpenAI();
  // No watcher: the swap happens between the scan and the generation, and nothing notices it first.
  app = await startBrowserCore({
    autoStart: false,
    library: onePhotoLibrary('walk.jpg'),
  });
  photo = join(app.root, 'photos', 'walk.jpg');
  mkdirSync(join(app.root, 'private'));
  privatePhoto = join(app.root, 'private', 'secret.jpg');
  // Another shape, so what was sent tells which file was read.
  const secret = await sharp({ create: { width: 200, height: 400, channels: 3, background: '#a37' } })
    .jpeg()
    .toBuffer();
  writeFileSync(privatePhoto, secret);
  const page = json<{ items: { id: number }[] }>((await app.call('photos:list', { limit: 10 })).text);
  session = json<ComicSession>((await app.call('studio:create', { photoIds: [page.items[0]!.id] })).text);
  await app.call('studio:settings', { referenceMaxSide: 512 });
  await app.call('studio:set-key', { key: fake.apiKey, baseUrl: fake.baseURL });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await fake?.close();
});

describe('Comic Studio references are read only inside their watched folder', () => {
  it('control: the photo itself is sent', async () => {
    const { version, sent } = await generate();
    expect(version.state).toBe('done');
    expect(sent).toHaveLength(1);
    expect(await sharp(sent[0]!).metadata()).toMatchObject({ width: 320, height: 240 });
  });

  it('a reference swapped for a link out of the folder is not read or sent; the version says why', async () => {
    renameSync(photo, `${photo}.moved`);
    symlinkSync(privatePhoto, photo);
    try {
      const { version, sent } = await generate();
      expect(version.state).toBe('failed');
      expect(version.error).toMatch(/a link to a file outside the watched folder/);
      expect(sent).toEqual([]);
    } finally {
      rmSync(photo);
      renameSync(`${photo}.moved`, photo);
    }
  });

  it('a link that stays inside the folder is still read (it is the same library)', async () => {
    copyFileSync(photo, join(app.root, 'photos', 'walk-original.jpg'));
    renameSync(photo, `${photo}.moved`);
    symlinkSync(join(app.root, 'photos', 'walk-original.jpg'), photo);
    try {
      const { version, sent } = await generate();
      expect(version.state).toBe('done');
      expect(await sharp(sent[0]!).metadata()).toMatchObject({ width: 320, height: 240 });
    } finally {
      rmSync(photo);
      renameSync(`${photo}.moved`, photo);
    }
  });
});
