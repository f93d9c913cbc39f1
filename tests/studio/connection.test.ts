// Settings' "Test key": the key, and each model the next generation will use.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkModels, checkOpenAIAccess } from '../../src/main/core/studio/connection';
import { closedPort } from './failures';
import { type FakeOpenAI, startFakeOpenAI } from './fake-openai';

describe('checkOpenAIAccess and checkModels', () => {
  let fake: FakeOpenAI;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
  });
  afterAll(async () => {
    await fake.close();
  });

  it('confirms a good key can use the main and the image model, looking each up (free)', async () => {
    const cfg = { apiKey: fake.apiKey, baseURL: fake.baseURL };
    const res = await checkModels(cfg, [
      { model: 'gpt-6-luna', role: 'main' },
      { model: 'gpt-image-2.6-sunburst', role: 'image' },
    ]);
    expect(res).toMatchObject({
      ok: true,
      message: 'The key works and may use gpt-6-luna (main model) and gpt-image-2.6-sunburst (image model).',
    });
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /v1/models/gpt-6-luna',
      'GET /v1/models/gpt-image-2.6-sunburst',
    ]);
    expect(fake.violations).toEqual([]);
  });

  it('says which model the key cannot use: a retired one, one that needs organization verification', async () => {
    fake.needsVerification.add('gpt-image-2.6-sunburst');
    const res = await checkModels({ apiKey: fake.apiKey, baseURL: fake.baseURL }, [
      { model: 'gpt-4o', role: 'main' },
      { model: 'gpt-image-2.6-sunburst', role: 'image' },
      { model: 'gpt-image-1', role: 'image' },
    ]);
    fake.needsVerification.clear();
    expect(res.ok).toBe(false);
    expect(res.checks.map((c) => [c.model, c.ok])).toEqual([
      ['gpt-4o', true],
      ['gpt-image-2.6-sunburst', false],
      ['gpt-image-1', false],
    ]);
    expect(res.message).toMatch(
      /^The key cannot use gpt-image-2\.6-sunburst \(image model\): OpenAI requires a verified organization/,
    );
    expect(res.message).toMatch(
      /The key cannot use gpt-image-1 \(image model\): OpenAI no longer offers the model "gpt-image-1"/,
    );
  });

  it('reports a missing key, a rejected key and no network once, not per model', async () => {
    await expect(checkOpenAIAccess({ apiKey: '' }, ['gpt-4o'])).rejects.toMatchObject({ kind: 'no-key' });
    const bad = await checkModels({ apiKey: 'sk-wrong', baseURL: fake.baseURL }, [
      { model: 'gpt-6-luna', role: 'main' },
      { model: 'gpt-image-2', role: 'image' },
    ]);
    expect(bad).toMatchObject({ ok: false, message: expect.stringMatching(/^OpenAI rejected the API key/) });
    expect(bad.checks).toHaveLength(1);
    const port = await closedPort();
    const offline = await checkModels({ apiKey: fake.apiKey, baseURL: `http://127.0.0.1:${port}/v1` }, [
      { model: 'gpt-6-luna', role: 'main' },
    ]);
    expect(offline.message).toMatch(/^Could not reach/);
  });
});
