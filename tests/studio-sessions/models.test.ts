// Models as the Studio discovers them: listed by the service for the key, kept in SQLite for
// when there is no key or network, a retired model named with one click to a live one.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectConformingRequests } from '../studio/engine-setup';
import { OPTIONS, openHarness, type StudioHarness, waitForEnd } from './setup';

let h: StudioHarness;
let sessionId: number;

beforeAll(async () => {
  h = await openHarness();
  sessionId = (await h.call('studio:create', { photoIds: h.photos.map((p) => p.id) })).id;
}, 120_000);
afterEach(() => expectConformingRequests(h.fake));
afterAll(async () => {
  await h?.close();
});

async function draw(prompt: string) {
  const { versionIds } = await h.call('studio:generate', { id: sessionId, prompt, options: OPTIONS });
  const [end] = await waitForEnd(h.notifier, versionIds);
  const session = (await h.call('studio:get', { id: sessionId }))!;
  return { end: end!, version: session.versionList.find((v) => v.id === versionIds[0])!, session };
}

describe('Comic Studio models', () => {
  it('lists what the key can use, with shutdown dates, and picks live defaults', async () => {
    const models = await h.call('studio:models', { refresh: true });
    expect(models.source).toBe('live');
    expect(h.fake.requests.at(-1)).toMatchObject({ method: 'GET', path: '/v1/models', status: 200 });
    expect(models.main.map((m) => m.id)).toContain('gpt-4o');
    expect(models.main.find((m) => m.id === 'gpt-4o')).toMatchObject({
      shutdownDate: '2027-01-14',
      priced: true,
    });
    expect(models.image.find((m) => m.id === 'gpt-image-2')).toMatchObject({ shutdownDate: '2027-02-10' });
    expect(models.image.map((m) => m.id)).not.toContain('gpt-image-1');
    expect(models.effective).toEqual({
      responsesModel: 'gpt-6-luna',
      responsesImageModel: 'gpt-image-2.6-sunburst',
      imagesModel: 'gpt-image-2.6-sunburst',
    });
  });

  it('warns about a chosen model that shuts down within 30 days, with its date and replacement', async () => {
    await h.call('studio:settings', { responsesModel: 'gpt-5' });
    const { models } = await h.call('studio:options', {});
    expect(models.notices).toEqual([
      expect.objectContaining({
        setting: 'responsesModel',
        model: 'gpt-5',
        shutdownDate: '2026-12-11',
        replacement: 'gpt-6-luna',
      }),
    ]);
    await h.call('studio:settings', { responsesModel: '' });
    expect((await h.call('studio:options', {})).models.notices).toEqual([]);
  });

  it('a retired model chosen in Settings fails with its name and one click to a live one; nothing is lost', async () => {
    await h.call('studio:settings', { engine: 'openai-images', imagesModel: 'gpt-image-1.5' });
    const { models } = await h.call('studio:options', {});
    expect(models.notices[0]).toMatchObject({
      model: 'gpt-image-1.5',
      replacement: 'gpt-image-2.6-sunburst',
    });
    const failed = await draw('Our walk in the rain');
    expect(failed.end.state).toBe('failed');
    expect(failed.version.error).toMatch(
      /no longer offers the model "gpt-image-1\.5".*prompt, photos and versions are kept/,
    );
    expect(failed.version.fix).toEqual({
      setting: 'imagesModel',
      from: 'gpt-image-1.5',
      to: 'gpt-image-2.6-sunburst',
      value: 'gpt-image-2.6-sunburst',
    });
    expect(h.fake.requests.at(-1)).toMatchObject({ status: 404 });

    // The one click: the setting the fix names, to the value it names. Then the same prompt again.
    await h.call('studio:settings', { [failed.version.fix!.setting]: failed.version.fix!.value });
    const again = await draw('Our walk in the rain');
    expect(again.end.state).toBe('done');
    expect(again.version.imageModel).toBe('gpt-image-2.6-sunburst');
    expect(again.session.references).toHaveLength(3);
    expect(again.session.versionList.map((v) => [v.prompt, v.state])).toEqual([
      ['Our walk in the rain', 'failed'],
      ['Our walk in the rain', 'done'],
    ]);
    // Once the setting moved on, the old failure offers no fix any more.
    expect(again.session.versionList[0]!.fix).toBeNull();
    await h.call('studio:settings', { engine: 'openai-responses', imagesModel: '' });
  });

  it('a model retired since the list was read fails once, leaves the list, and automatic moves on', async () => {
    h.fake.models.delete('gpt-image-2.6-sunburst');
    const failed = await draw('A picnic');
    expect(failed.version.error).toMatch(/"gpt-image-2\.6-sunburst"/);
    expect(failed.version.fix).toEqual({
      setting: 'responsesImageModel',
      from: 'gpt-image-2.6-sunburst',
      to: 'gpt-image-2.6-flare',
      value: '',
    });
    const again = await draw('A picnic');
    expect([again.end.state, again.version.imageModel]).toEqual(['done', 'gpt-image-2.6-flare']);
    h.fake.models.set('gpt-image-2.6-sunburst', {
      id: 'gpt-image-2.6-sunburst',
      created: 1,
      owned_by: 'system',
      shutdown_date: null,
    });
  });

  it('without a key, and then without network, uses the last list seen and says so', async () => {
    await h.call('studio:set-key', { key: null, baseUrl: h.fake.baseURL });
    await h.reopen();
    let models = await h.call('studio:models', { refresh: true });
    expect(models.source).toBe('cache');
    expect(models.summary).toMatch(
      /^Using the list of models seen .* UTC: OpenAI could not be asked now \(no API key\)\.$/,
    );
    expect(models.effective.responsesImageModel).toBe('gpt-image-2.6-flare'); // the list still lacks sunburst
    await h.call('studio:set-key', { key: h.fake.apiKey, baseUrl: h.fake.baseURL });
    await h.fake.close(); // no network from here on
    models = await h.call('studio:models', { refresh: true });
    expect(models.source).toBe('cache');
    expect(models.problem).toMatch(/Could not reach/);
    expect(models.summary).toMatch(/could not be asked now \(Could not reach/);
  });
});
