// The local OpenAI server itself: today's models and refusals as the service answers them,
// requests checked against the OpenAPI description, and the separate process e2e tests use.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import OpenAI, { toFile } from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createImagesEngine } from '../../src/main/core/studio/openai-images';
import { createResponsesEngine } from '../../src/main/core/studio/openai-responses';
import { type FakeOpenAI, startFakeOpenAI } from './fake-openai';

describe('the fake OpenAI server in today mode (2026-12-01)', () => {
  let fake: FakeOpenAI;
  let sdk: OpenAI;
  const get = (path: string, key = fake.apiKey) =>
    fetch(`${fake.baseURL}${path}`, { headers: { authorization: `Bearer ${key}` } });
  beforeAll(async () => {
    fake = await startFakeOpenAI();
    sdk = new OpenAI({ apiKey: fake.apiKey, baseURL: fake.baseURL, maxRetries: 0 });
  });
  afterAll(async () => {
    await fake.close();
  });

  it('lists the models with their shutdown dates, as the Model schema describes them', async () => {
    const res = await get('/models');
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      object: string;
      data: Array<{ id: string; shutdown_date: string | null }>;
    };
    expect(body.object).toBe('list');
    const dates = Object.fromEntries(body.data.map((m) => [m.id, m.shutdown_date]));
    expect(dates).toMatchObject({
      'gpt-image-2': '2027-02-10',
      'gpt-4o': '2027-01-14',
      'gpt-5': '2026-12-11',
      'gpt-image-2.6-sunburst': null,
    });
    for (const gone of [
      'gpt-image-1',
      'gpt-image-1.5',
      'gpt-image-1-mini',
      'chatgpt-image-latest',
      'dall-e-3',
    ]) {
      expect(dates).not.toHaveProperty(gone);
    }
    expect(fake.violations).toEqual([]);
  });

  it('answers a retired model with 404 model_not_found, shaped as the service does', async () => {
    const res = await get('/models/gpt-image-1');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: {
        message: 'The model `gpt-image-1` does not exist or you do not have access to it.',
        type: 'invalid_request_error',
        param: null,
        code: 'model_not_found',
      },
    });
  });

  it('refuses input_fidelity for gpt-image-2 models with 400 invalid_input_fidelity_model', async () => {
    const image = await toFile(Buffer.from('89504e47', 'hex'), 'a.png', { type: 'image/png' });
    const err = await sdk.images
      .edit({ model: 'gpt-image-2', prompt: 'x', image: [image], input_fidelity: 'high' })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 400, code: 'invalid_input_fidelity_model', param: 'input_fidelity' });
  });

  it('refuses sizes, qualities and transparency a model does not take', async () => {
    const image = await toFile(Buffer.from('89504e47', 'hex'), 'a.png', { type: 'image/png' });
    const edit = (over: Record<string, unknown>) =>
      sdk.images
        .edit({ model: 'gpt-image-2', prompt: 'x', image: [image], ...over } as never)
        .catch((e: unknown) => e);
    expect(await edit({ size: '1000x1000' })).toMatchObject({ status: 400, param: 'size' });
    expect(await edit({ quality: 'max' })).toMatchObject({ status: 400, param: 'quality' });
    expect(await edit({ background: 'transparent' })).toMatchObject({ status: 400, param: 'background' });
    expect(fake.violations).toEqual([]);
  });

  it('answers 403 naming the model an unverified organization may not use', async () => {
    fake.needsVerification.add('gpt-image-2.6-sunburst');
    const err = await sdk.responses
      .create({
        model: 'gpt-6-luna',
        input: 'x',
        tools: [{ type: 'image_generation', model: 'gpt-image-2.6-sunburst' }],
      })
      .catch((e: unknown) => e);
    fake.needsVerification.clear();
    expect(err).toMatchObject({ status: 403 });
    expect((err as Error).message).toContain('must be verified to use the model `gpt-image-2.6-sunburst`');
  });

  it('checks every request against the OpenAPI description and refuses one that does not match', async () => {
    const err = await sdk.responses
      .create({
        model: 'gpt-6-luna',
        input: 'x',
        tools: [{ type: 'image_generation', input_fidelty: 'high', quality: 'ultra' } as never],
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 400, code: 'invalid_request' });
    const seen = fake.violations.splice(0);
    expect(seen.join('\n')).toContain('/tools/0 must NOT have unevaluated properties "input_fidelty"');
    expect(seen.join('\n')).toMatch(/\/tools\/0\/quality must be equal to one of the allowed values/);
    const multipart = await sdk.images
      .edit({ model: 'gpt-image-2', prompt: 'x', image: [await toFile(Buffer.from('x'), 'a.png')], n: 0 })
      .catch((e: unknown) => e);
    expect(multipart).toMatchObject({ status: 400 });
    expect(fake.violations.splice(0)).toEqual(['POST /v1/images/edits: /n must be >= 1']);
  });
});

/** The fake as end-to-end tests use it: its own process, steered over HTTP. */
describe('fake OpenAI server run as a separate process', () => {
  let child: ChildProcess | undefined;
  afterEach(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    child = undefined;
  });

  it('prints its URL and key, takes failures from the control endpoint, and lists requests', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'tests/studio/fake-openai.ts', '0', 'sk-e2e-key'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child!.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('OPENAI_API_KEY=')) resolve();
      });
      child!.on('exit', (code) => reject(new Error(`fake exited with ${code}`)));
    });
    const baseURL = /OPENAI_BASE_URL=(\S+)/.exec(out)![1]!;
    expect(out).toContain('OPENAI_API_KEY=sk-e2e-key');
    const origin = baseURL.replace(/\/v1$/, '');

    await fetch(`${origin}/__fake/fail-next`, {
      method: 'POST',
      body: JSON.stringify({ scenarios: ['policy'] }),
    });
    const tiny = {
      buffer: Buffer.from('not checked by the fake'),
      mime: 'image/jpeg' as const,
      width: 1,
      height: 1,
    };
    await expect(
      createImagesEngine({ apiKey: 'sk-e2e-key', baseURL }).generate({
        prompt: '1 panel in row 1',
        references: [tiny],
        size: '1024x1024',
        quality: 'low',
        n: 1,
        signal: new AbortController().signal,
      }),
    ).rejects.toMatchObject({ kind: 'content-policy' });

    const partials: string[] = [];
    const ok = await createResponsesEngine({ apiKey: 'sk-e2e-key', baseURL, partialImages: 1 }).generate({
      prompt: '2 panels in row 1',
      references: [],
      size: '1536x1024',
      quality: 'low',
      n: 1,
      signal: new AbortController().signal,
      onPartial: (b64) => partials.push(b64),
    });
    expect(ok.images).toHaveLength(1);
    expect(partials).toHaveLength(1);

    const listed = (await (await fetch(`${origin}/__fake/requests`)).json()) as Array<
      Record<string, unknown>
    >;
    expect(listed).toMatchObject([
      {
        path: '/v1/images/edits',
        scenario: 'policy',
        status: 400,
        model: 'gpt-image-2.6-sunburst',
        imageCount: 1,
        schemaErrors: [],
      },
      {
        path: '/v1/responses',
        scenario: 'ok',
        status: 200,
        model: 'gpt-6-luna',
        imageCount: 0,
        schemaErrors: [],
      },
    ]);
    expect(await (await fetch(`${origin}/__fake/violations`)).json()).toEqual([]);
    await fetch(`${origin}/__fake/reset`, { method: 'POST' });
    expect(await (await fetch(`${origin}/__fake/requests`)).json()).toEqual([]);
  });
});
