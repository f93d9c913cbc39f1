// Studio settings, key, styles, the Images engine, and what a quit or crash mid-drawing leaves.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dataPaths } from '../../src/main/core/app';
import { expectConformingRequests } from '../studio/engine-setup';
import { OPTIONS, openHarness, type StudioHarness, waitForEnd, waitUntil } from './setup';

let h: StudioHarness;
let sessionId: number;
const CLOSED = 'Komorebi was closed while this was drawing; generate again.';

beforeAll(async () => {
  h = await openHarness();
  sessionId = (await h.call('studio:create', { photoIds: h.photos.map((p) => p.id) })).id;
}, 120_000);

afterEach(() => expectConformingRequests(h.fake));

afterAll(async () => {
  await h?.close();
});

describe('Comic Studio settings and styles', () => {
  it('offers styles, layouts, sizes and the settings, and says where the key lives without giving it', async () => {
    const options = await h.call('studio:options', {});
    expect(options.styles.filter((s) => s.builtIn).map((s) => s.id)).toEqual([
      'watercolour',
      'manga',
      'newspaper-strip',
      'childrens-book',
    ]);
    expect(options.layouts).toContainEqual({
      panels: 4,
      arrangement: 'grid',
      name: '2 × 2 grid',
      size: '1024x1024',
    });
    // Sizes and quality levels are those of the image model the next generation uses (gpt-image-2.6).
    expect(options.sizes).toEqual(expect.arrayContaining(['auto', '1024x1024', '2048x2048']));
    expect(options.qualities).toEqual(['low', 'medium', 'high', 'xhigh', 'max', 'auto']);
    // Models are automatic: never a fixed name that may be gone.
    expect(options.settings).toEqual({
      engine: 'openai-responses',
      responsesModel: '',
      responsesImageModel: '',
      imagesModel: '',
      baseUrl: h.fake.baseURL,
      referenceMaxSide: 256,
    });
    expect(options.models).toMatchObject({
      source: 'live',
      effective: {
        responsesModel: 'gpt-6-luna',
        responsesImageModel: 'gpt-image-2.6-sunburst',
        imagesModel: 'gpt-image-2.6-sunburst',
      },
      notices: [],
    });
    expect(options.hasKey).toBe(true);
    expect(options.keyStorage).toBe('memory (test)');
    expect(JSON.stringify(options)).not.toContain(h.fake.apiKey);
  });

  it('tests the key against both models the next generation uses, and explains a rejected one', async () => {
    expect(await h.call('studio:test-key', {})).toMatchObject({
      ok: true,
      message: 'The key works and may use gpt-6-luna (main model) and gpt-image-2.6-sunburst (image model).',
    });
    h.fake.needsVerification.add('gpt-image-2.6-sunburst');
    const unverified = await h.call('studio:test-key', {});
    h.fake.needsVerification.clear();
    expect(unverified.ok).toBe(false);
    expect(unverified.message).toMatch(
      /^The key cannot use gpt-image-2\.6-sunburst \(image model\): OpenAI requires a verified organization/,
    );
    await h.call('studio:set-key', { key: 'sk-wrong-key-000000', baseUrl: h.fake.baseURL });
    const bad = await h.call('studio:test-key', {});
    expect(bad.ok).toBe(false);
    expect(bad.message).toMatch(/rejected the API key/);
    expect(bad.message).not.toContain('sk-wrong');
    await h.call('studio:set-key', { key: null, baseUrl: h.fake.baseURL });
    expect((await h.call('studio:test-key', {})).message).toMatch(/No OpenAI API key/);
    await h.call('studio:set-key', { key: h.fake.apiKey, baseUrl: h.fake.baseURL });
  });

  it('saves and deletes a user style; built-in styles stay', async () => {
    const styles = await h.call('studio:save-style', {
      name: 'Pencil',
      prompt: 'Loose graphite pencil sketch.',
    });
    const pencil = styles.find((s) => s.name === 'Pencil')!;
    expect(pencil).toMatchObject({ builtIn: false, prompt: 'Loose graphite pencil sketch.' });
    // Same name again: the text is replaced, not duplicated.
    const updated = await h.call('studio:save-style', { name: 'Pencil', prompt: 'Charcoal.' });
    expect(updated.filter((s) => s.name === 'Pencil')).toEqual([{ ...pencil, prompt: 'Charcoal.' }]);

    const before = h.fake.requests.length;
    const { versionIds } = await h.call('studio:generate', {
      id: sessionId,
      prompt: 'Sketchy',
      options: { ...OPTIONS, style: pencil.id },
    });
    await waitForEnd(h.notifier, versionIds);
    expect(JSON.stringify(h.fake.requests[before]!.json!.input)).toContain('Charcoal.');

    await expect(h.call('studio:delete-style', { id: 'manga' })).rejects.toThrow(/built-in style/);
    const after = await h.call('studio:delete-style', { id: pencil.id });
    expect(after.some((s) => s.name === 'Pencil')).toBe(false);
    await expect(
      h.call('studio:generate', { id: sessionId, prompt: 'x', options: { ...OPTIONS, style: pencil.id } }),
    ).rejects.toThrow(/no longer exists/);
  });

  it('draws with the Images API when chosen, sending the refined page first', async () => {
    await h.call('studio:settings', { engine: 'openai-images', imagesModel: 'gpt-image-2' });
    const before = h.fake.requests.length;
    const first = await h.call('studio:generate', { id: sessionId, prompt: 'Edits', options: OPTIONS });
    const [end] = await waitForEnd(h.notifier, first.versionIds);
    expect(end!.state).toBe('done');
    const req = h.fake.requests[before]!;
    expect(req.path).toBe('/v1/images/edits');
    expect(req.fields!.model).toEqual(['gpt-image-2']);
    expect(req.fields!.input_fidelity).toBeUndefined(); // gpt-image-2 refuses it
    expect(req.images).toHaveLength(3);

    const refine = await h.call('studio:generate', {
      id: sessionId,
      prompt: 'Brighter',
      options: OPTIONS,
      parentVersionId: first.versionIds[0],
    });
    await waitForEnd(h.notifier, refine.versionIds);
    const follow = h.fake.requests.at(-1)!;
    expect(follow.files!.map((f) => f.filename)[0]).toBe('previous-page.png');
    expect(follow.images).toHaveLength(4);
    const session = (await h.call('studio:get', { id: sessionId }))!;
    expect(session.versionList.at(-1)).toMatchObject({
      engine: 'openai-images',
      model: 'gpt-image-2',
      imageModel: 'gpt-image-2',
      state: 'done',
    });
    await h.call('studio:settings', { engine: 'openai-responses', imagesModel: '' });
  });

  it('keeps settings across a restart', async () => {
    await h.call('studio:settings', { responsesModel: 'gpt-4.1' });
    await h.reopen();
    expect((await h.call('studio:options', {})).settings.responsesModel).toBe('gpt-4.1');
    await h.call('studio:settings', { responsesModel: '' });
  });
});

describe('Comic Studio after a quit or crash mid-drawing', () => {
  it('quitting while a page is drawing fails it with a plain explanation', async () => {
    h.fake.failNext('hang-stream');
    const before = h.fake.requests.length;
    const { versionIds } = await h.call('studio:generate', {
      id: sessionId,
      prompt: 'Never ends',
      options: OPTIONS,
    });
    await waitUntil(() => h.fake.requests.length > before);
    await h.reopen();
    const version = (await h.call('studio:get', { id: sessionId }))!.versionList.find(
      (v) => v.id === versionIds[0],
    );
    expect(version).toMatchObject({ state: 'failed', error: CLOSED, prompt: 'Never ends' });
  });

  it('a row left generating by a crash is failed at start, and its previews removed', async () => {
    await h.core.close();
    const db = new Database(dataPaths(h.dataDir).database);
    const id = Number(
      db
        .prepare(
          `INSERT INTO comic_versions (session_id, prompt, full_prompt, state, engine, model, created_at)
           VALUES (?, 'Crashed', 'Crashed', 'generating', 'openai-responses', 'gpt-4o', ?)`,
        )
        .run(sessionId, Date.now()).lastInsertRowid,
    );
    db.close();
    const partials = join(dataPaths(h.dataDir).studio, String(sessionId), 'partials');
    mkdirSync(partials, { recursive: true });
    writeFileSync(join(partials, `${id}-0.png`), 'partial');

    await h.reopen();
    const version = (await h.call('studio:get', { id: sessionId }))!.versionList.find((v) => v.id === id);
    expect(version).toMatchObject({ state: 'failed', error: CLOSED, prompt: 'Crashed' });
    expect(existsSync(join(partials, `${id}-0.png`))).toBe(false);
    // The session works again at once.
    const { versionIds } = await h.call('studio:generate', {
      id: sessionId,
      prompt: 'Again',
      options: OPTIONS,
    });
    expect((await waitForEnd(h.notifier, versionIds))[0]!.state).toBe('done');
  });
});
