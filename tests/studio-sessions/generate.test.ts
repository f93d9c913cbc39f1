// Comic Studio end to end through the core's handlers: a real library (SQLite, sharp photos
// scanned from a temp folder) and the OpenAI wire protocol spoken by the local fake server.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import exifr from 'exifr';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dataPaths } from '../../src/main/core/app';
import { expectConformingRequests } from '../studio/engine-setup';
import { OPTIONS, openHarness, progressOf, type StudioHarness, waitForEnd, waitUntil } from './setup';

let h: StudioHarness;

beforeAll(async () => {
  h = await openHarness();
}, 120_000);

afterAll(async () => {
  await h?.close();
});

afterEach(() => expectConformingRequests(h.fake));

const studioFile = (mediaPath: string) =>
  join(dataPaths(h.dataDir).studio, mediaPath.replace(/^studio\//, ''));

function responseIdOf(versionId: number): string | null {
  const db = new Database(dataPaths(h.dataDir).database, { readonly: true });
  try {
    return db.prepare('SELECT response_id FROM comic_versions WHERE id = ?').pluck().get(versionId) as
      | string
      | null;
  } finally {
    db.close();
  }
}

/** Starts a generation and waits for its end; returns the version ids and the request the server saw. */
async function generate(sessionId: number, prompt: string, parentVersionId?: number) {
  const before = h.fake.requests.length;
  const { versionIds } = await h.call('studio:generate', {
    id: sessionId,
    prompt,
    options: OPTIONS,
    parentVersionId,
  });
  const ends = await waitForEnd(h.notifier, versionIds);
  // The first generation also lists the models the key can use (GET /v1/models) before drawing.
  return { versionIds, ends, request: h.fake.requests.slice(before).find((r) => r.method === 'POST') };
}

describe('Comic Studio sessions', () => {
  let sessionId: number;
  let v1: number;

  it('creates a session from three photos with a dated title and the photos as references', async () => {
    const session = await h.call('studio:create', { photoIds: h.photos.map((p) => p.id) });
    sessionId = session.id;
    expect(session.title).toMatch(/^Comic — \d{4}-\d{2}-\d{2}$/);
    expect(session.references.map((r) => [r.photo.name, r.included])).toEqual([
      ['beach.jpg', true],
      ['portrait.jpg', true],
      ['square.jpg', true],
    ]);
    expect(session.versionList).toEqual([]);
    const list = await h.call('studio:sessions', {});
    expect(list.map((s) => s.id)).toContain(sessionId);
  });

  it('generates a page: partial images stream as events, then the page is saved with its usage and cost', async () => {
    const { versionIds, ends, request } = await generate(sessionId, 'A day at the beach');
    expect(versionIds).toHaveLength(1);
    v1 = versionIds[0]!;
    const events = progressOf(h.notifier, v1);
    expect(events[0]).toMatchObject({ sessionId, state: 'generating', partial: null });
    const partials = events.filter((e) => e.partial !== null);
    expect(partials.length).toBeGreaterThan(0);
    for (const p of partials)
      expect(p.partial).toMatch(new RegExp(`^studio/${sessionId}/partials/${v1}-\\d\\.png$`));
    expect(events.at(-1)).toMatchObject({ state: 'done', error: null, partial: null });
    expect(ends[0]!.state).toBe('done');

    const session = (await h.call('studio:get', { id: sessionId }))!;
    const v = session.versionList[0]!;
    expect(v).toMatchObject({
      id: v1,
      parentId: null,
      prompt: 'A day at the beach',
      state: 'done',
      error: null,
    });
    expect(v.image).toBe(`studio/${sessionId}/v${v1}.png`);
    const meta = await sharp(studioFile(v.image!)).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 1024, 1024]); // 'auto' took the 2x2 grid's size
    expect(v.tokens).toBeGreaterThan(0);
    expect(v.costUsd).toBeGreaterThan(0);
    // Komorebi's default settings: the models are chosen from what the key can use today.
    expect(v.engine).toBe('openai-responses');
    expect(v.model).toBe('gpt-6-luna-2026-09-22');
    expect(v.imageModel).toBe('gpt-image-2.6-sunburst');
    expect(v.region).toBeNull();
    expect(session.totals).toEqual({ tokens: v.tokens, costUsd: v.costUsd });
    expect(responseIdOf(v1)).toMatch(/^resp_/);
    // Previews are gone once the page exists.
    expect(readdirSync(join(dataPaths(h.dataDir).studio, String(sessionId), 'partials'))).toEqual([]);

    // The request: the automatic models, the style and layout in the prompt, all three photos.
    expect(request!.json).toMatchObject({ model: 'gpt-6-luna', stream: true });
    expect((request!.json!.tools as Array<Record<string, unknown>>)[0]).toMatchObject({
      model: 'gpt-image-2.6-sunburst',
      size: '1024x1024',
    });
    expect((request!.json!.tools as Array<Record<string, unknown>>)[0]).not.toHaveProperty('input_fidelity');
    const text = JSON.stringify(request!.json!.input);
    expect(text).toContain('A day at the beach');
    expect(text).toContain('manga');
    expect(text).toContain('2 panels in row 1, 2 panels in row 2');
    expect(request!.images).toHaveLength(3);

    const list = await h.call('studio:sessions', {});
    expect(list.find((s) => s.id === sessionId)).toMatchObject({ versions: 1, cover: v.image });
  });

  it('refines the latest version: the follow-up continues from its response id', async () => {
    const { versionIds, request } = await generate(sessionId, 'Make the sky stormy', v1);
    const v2 = versionIds[0]!;
    expect(request!.json!.previous_response_id).toBe(responseIdOf(v1));
    expect(request!.images).toHaveLength(0); // the references are already in the conversation
    expect(JSON.stringify(request!.json!.input)).toContain('Revise the previous comic page');
    const session = (await h.call('studio:get', { id: sessionId }))!;
    expect(session.versionList.find((v) => v.id === v2)).toMatchObject({ parentId: v1, state: 'done' });
    expect(responseIdOf(v2)).not.toBe(responseIdOf(v1));
  });

  it('branches from the first version although a later one exists', async () => {
    const { versionIds, request } = await generate(sessionId, 'Add a dog instead', v1);
    expect(request!.json!.previous_response_id).toBe(responseIdOf(v1));
    const session = (await h.call('studio:get', { id: sessionId }))!;
    expect(session.versionList.map((v) => v.parentId)).toEqual([null, v1, v1]);
    expect(session.versionList.at(-1)!.id).toBe(versionIds[0]);
    expect(session.cover).toBe(session.versionList.at(-1)!.image);
  });

  it('returns the new version at once and cancels it mid-drawing', async () => {
    h.fake.failNext('hang-stream'); // the server starts streaming, then never finishes
    const before = h.fake.requests.length;
    const { versionIds } = await h.call('studio:generate', {
      id: sessionId,
      prompt: 'A long one',
      options: OPTIONS,
    });
    const session = (await h.call('studio:get', { id: sessionId }))!;
    expect(session.versionList.find((v) => v.id === versionIds[0])!.state).toBe('generating');
    await waitUntil(() => h.fake.requests.length > before);
    await expect(
      h.call('studio:generate', { id: sessionId, prompt: 'Another', options: OPTIONS }),
    ).rejects.toThrow(/still being drawn/);

    expect(await h.call('studio:cancel', { id: sessionId })).toEqual({ cancelled: true });
    const after = (await h.call('studio:get', { id: sessionId }))!;
    expect(after.versionList.find((v) => v.id === versionIds[0])).toMatchObject({
      state: 'cancelled',
      prompt: 'A long one',
      image: null,
    });
    expect(progressOf(h.notifier, versionIds[0]!).at(-1)!.state).toBe('cancelled');
    expect(await h.call('studio:cancel', { id: sessionId })).toEqual({ cancelled: false });
  });

  it('a rejected key fails the version with a readable message and keeps the session and prompt', async () => {
    h.fake.failNext('401');
    const { versionIds, ends } = await generate(sessionId, 'This one fails');
    expect(ends[0]).toMatchObject({ state: 'failed' });
    expect(ends[0]!.error).toMatch(/rejected the API key.*Settings/);
    expect(ends[0]!.error).not.toContain(h.fake.apiKey);
    const session = (await h.call('studio:get', { id: sessionId }))!;
    expect(session.references).toHaveLength(3);
    expect(session.versionList.find((v) => v.id === versionIds[0])).toMatchObject({
      state: 'failed',
      prompt: 'This one fails',
      image: null,
      error: ends[0]!.error,
    });
  });

  it('without a key, Generate says so and records nothing', async () => {
    await h.call('studio:set-key', { key: null, baseUrl: h.fake.baseURL });
    expect((await h.call('studio:options', {})).hasKey).toBe(false);
    const count = (await h.call('studio:get', { id: sessionId }))!.versionList.length;
    await expect(h.call('studio:generate', { id: sessionId, prompt: 'x', options: OPTIONS })).rejects.toThrow(
      /No OpenAI API key is set.*Settings/,
    );
    expect((await h.call('studio:get', { id: sessionId }))!.versionList).toHaveLength(count);
    expect(await h.call('studio:set-key', { key: h.fake.apiKey, baseUrl: h.fake.baseURL })).toEqual({
      hasKey: true,
    });
  });

  it('a parent version from another comic is refused', async () => {
    const other = await h.call('studio:create', { photoIds: [h.photos[0]!.id], title: 'Other' });
    await expect(
      h.call('studio:generate', { id: other.id, prompt: 'x', options: OPTIONS, parentVersionId: v1 }),
    ).rejects.toThrow(/not part of this comic/);
    await h.call('studio:delete', { id: other.id });
  });

  it('sends only the included references, downscaled and without EXIF or GPS', async () => {
    const [beach, portrait, square] = h.photos;
    const session = await h.call('studio:references', {
      id: sessionId,
      references: [
        { photoId: square!.id, included: true },
        { photoId: portrait!.id, included: false },
        { photoId: beach!.id, included: true },
      ],
    });
    expect(session.references.map((r) => [r.photo.name, r.included])).toEqual([
      ['square.jpg', true],
      ['portrait.jpg', false],
      ['beach.jpg', true],
    ]);
    const { request } = await generate(sessionId, 'Only two of us');
    const sent = await Promise.all(
      request!.images.map(async (img) => ({
        meta: await sharp(img).metadata(),
        gps: await exifr.gps(img).catch(() => undefined),
      })),
    );
    // In the new order; the portrait (480x640) stayed home.
    expect(sent.map((s) => `${s.meta.width}x${s.meta.height}`)).toEqual(['256x256', '256x192']);
    for (const s of sent) {
      expect(s.meta.exif).toBeUndefined();
      expect(s.gps).toBeUndefined();
    }

    await expect(
      h.call('studio:references', {
        id: sessionId,
        references: h.photos.map((p) => ({ photoId: p.id, included: false })),
      }),
    ).resolves.toBeTruthy();
    await expect(h.call('studio:generate', { id: sessionId, prompt: 'x', options: OPTIONS })).rejects.toThrow(
      /No reference photo is included/,
    );
    await h.call('studio:references', {
      id: sessionId,
      references: h.photos.map((p) => ({ photoId: p.id, included: true })),
    });
  });

  it('draws several variations in one press, one version each', async () => {
    const before = h.fake.requests.length;
    const { versionIds } = await h.call('studio:generate', {
      id: sessionId,
      prompt: 'Two takes',
      options: { ...OPTIONS, variations: 2 },
    });
    expect(versionIds).toHaveLength(2);
    const ends = await waitForEnd(h.notifier, versionIds);
    expect(ends.map((e) => e.state)).toEqual(['done', 'done']);
    expect(h.fake.requests.length - before).toBe(2);
    for (const id of versionIds) expect(existsSync(studioFile(`studio/${sessionId}/v${id}.png`))).toBe(true);
    expect(responseIdOf(versionIds[0]!)).not.toBe(responseIdOf(versionIds[1]!));
  });
  it('says when it waits to retry a rate limit, then finishes', async () => {
    h.fake.failNext('429'); // Retry-After: 1
    const { versionIds, ends } = await generate(sessionId, 'Busy server');
    expect(ends[0]!.state).toBe('done');
    const waits = progressOf(h.notifier, versionIds[0]!).filter((e) => e.retryInSeconds !== null);
    expect(waits.length).toBeGreaterThan(0);
    expect(waits[0]).toMatchObject({ state: 'generating', retryInSeconds: 1, error: null });
  });

  it('refining a version whose conversation OpenAI no longer keeps sends its page instead', async () => {
    const db = new Database(dataPaths(h.dataDir).database);
    db.prepare('UPDATE comic_versions SET response_id = ? WHERE id = ?').run('resp_expired', v1);
    db.close();
    const before = h.fake.requests.length;
    const { versionIds, ends } = await generate(sessionId, 'Refine an old one', v1);
    expect(ends[0]!.state).toBe('done');
    const [expired, retried] = h.fake.requests.slice(before);
    expect(expired).toMatchObject({ status: 400 });
    expect(expired!.json!.previous_response_id).toBe('resp_expired');
    expect(retried!.json!.previous_response_id).toBeUndefined();
    expect(retried!.images).toHaveLength(4); // the page being refined, then the three photos
    const session = (await h.call('studio:get', { id: sessionId }))!;
    expect(session.versionList.find((v) => v.id === versionIds[0])!.parentId).toBe(v1);
  });

  it('two copies of one photo make one reference', async () => {
    const [beach] = h.photos;
    const session = await h.call('studio:create', { photoIds: [beach!.id, beach!.id], title: 'Twice' });
    expect(session.references).toHaveLength(1);
    await h.call('studio:delete', { id: session.id });
  });

  it('deleting a comic while it draws stops the drawing and removes everything', async () => {
    const session = await h.call('studio:create', { photoIds: [h.photos[0]!.id], title: 'Short-lived' });
    h.fake.failNext('hang-stream');
    const before = h.fake.requests.length;
    await h.call('studio:generate', { id: session.id, prompt: 'Never finished', options: OPTIONS });
    await waitUntil(() => h.fake.requests.length > before);
    expect(await h.call('studio:delete', { id: session.id })).toEqual({ deleted: true });
    expect(await h.call('studio:get', { id: session.id })).toBeNull();
    expect(existsSync(join(dataPaths(h.dataDir).studio, String(session.id)))).toBe(false);
  });
});
