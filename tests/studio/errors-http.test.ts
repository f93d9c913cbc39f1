// Both engines against OpenAI's HTTP failures as the local server sends them (today's mode).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ComicEngine, OpenAIEngineConfig, RetryInfo } from '../../src/main/core/studio/engine';
import { createImagesEngine } from '../../src/main/core/studio/openai-images';
import { createResponsesEngine } from '../../src/main/core/studio/openai-responses';
import { useFakeOpenAIWithReferences } from './engine-setup';
import { closedPort, failure } from './failures';
import type { Scenario } from './fake-openai';

const engines: Array<[string, (cfg: OpenAIEngineConfig) => ComicEngine]> = [
  ['Responses', createResponsesEngine],
  ['Images', createImagesEngine],
];

describe.each(engines)('%s engine: HTTP errors, retries and cancel', (name, create) => {
  const setup = useFakeOpenAIWithReferences(1, 512);
  let logged: string[];

  beforeEach(() => {
    setup.fake.retryAfterSeconds = 1;
    setup.fake.needsVerification.clear();
    logged = [];
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        logged.push(args.map(String).join(' '));
      });
    }
  });
  afterEach(() => {
    vi.restoreAllMocks();
    // The key is never written to any log, whatever happened.
    expect(logged.join('\n')).not.toContain(setup.fake.apiKey);
  });

  const engine = (over: Partial<OpenAIEngineConfig> = {}) =>
    create({ apiKey: setup.fake.apiKey, baseURL: setup.fake.baseURL, retry: { baseDelayMs: 10 }, ...over });
  const run = (
    e: ComicEngine,
    extra: { signal?: AbortSignal; onRetry?: (i: RetryInfo) => void; prompt?: string } = {},
  ) =>
    e.generate({
      prompt: extra.prompt ?? 'Draw exactly 1 panel in row 1.',
      references: setup.refs,
      size: '1024x1024',
      quality: 'low',
      n: 1,
      signal: extra.signal ?? new AbortController().signal,
      onRetry: extra.onRetry,
    });
  const fails = async (scenario: Scenario, over: Partial<OpenAIEngineConfig> = {}) => {
    setup.fake.failNext(scenario);
    return failure(run(engine(over)));
  };

  it('no key: says where to add one, sends nothing', async () => {
    for (const apiKey of [undefined, '', '   ']) {
      const err = await failure(run(engine({ apiKey })));
      expect(err).toMatchObject({ kind: 'no-key', retryable: false });
      expect(err.message).toMatch(/Settings/);
    }
    expect(setup.fake.requests).toHaveLength(0);
  });

  it('rejected key (401): bad-key, and no part of the key in the message', async () => {
    const err = await failure(run(engine({ apiKey: 'sk-proj-THISISASECRETKEY1234567890' })));
    expect(err).toMatchObject({ kind: 'bad-key', retryable: false, status: 401 });
    expect(err.message).not.toMatch(/sk-|7890|SECRET/);
    expect(setup.fake.requests).toHaveLength(1);
  });

  it('a retired image model (404 model_not_found) is named, and is not retried', async () => {
    const retired = name === 'Images' ? { model: 'gpt-image-1' } : { imageModel: 'gpt-image-1' };
    const err = await failure(run(engine(retired)));
    expect(err).toMatchObject({
      kind: 'model-not-found',
      status: 404,
      code: 'model_not_found',
      model: 'gpt-image-1',
      retryable: false,
    });
    expect(err.message).toContain('"gpt-image-1"');
    expect(setup.fake.requests).toHaveLength(1);
  });

  it('a model that needs a verified organization (403) is named, with what to do', async () => {
    setup.fake.needsVerification.add('gpt-image-2.6-sunburst');
    const err = await failure(run(engine()));
    expect(err).toMatchObject({ kind: 'no-model-access', status: 403, model: 'gpt-image-2.6-sunburst' });
    expect(err.message).toMatch(/verified organization to use "gpt-image-2\.6-sunburst".*Verify it/);
  });

  it('rate limit (429 rate_limit_exceeded): waits what Retry-After says, reports it, then succeeds', async () => {
    setup.fake.failNext('429');
    const retries: RetryInfo[] = [];
    const result = await run(engine(), { onRetry: (i) => retries.push(i) });
    expect(result.images).toHaveLength(1);
    expect(setup.fake.requests.map((r) => r.status)).toEqual([429, 200]);
    expect(retries).toMatchObject([{ attempt: 2, delayMs: 1000, delaySeconds: 1, kind: 'rate-limited' }]);
    expect(retries[0]!.message).toContain('retrying in 1 s');
  });

  it('too_many_requests that does not clear: rate-limited after the last attempt, bounded', async () => {
    setup.fake.retryAfterSeconds = 0;
    setup.fake.failNext('429-busy', '429-busy', '429-busy');
    const retries: RetryInfo[] = [];
    const err = await failure(
      run(engine({ retry: { maxAttempts: 3, baseDelayMs: 10 } }), { onRetry: (i) => retries.push(i) }),
    );
    expect(err).toMatchObject({
      kind: 'rate-limited',
      retryable: true,
      status: 429,
      code: 'too_many_requests',
    });
    expect(retries.map((r) => r.attempt)).toEqual([2, 3]);
    expect(setup.fake.requests).toHaveLength(3);
  });

  it('a Retry-After longer than the limit goes straight to the user', async () => {
    setup.fake.retryAfterSeconds = 600;
    const err = await fails('429');
    expect(err).toMatchObject({ kind: 'rate-limited', retryAfterMs: 600_000 });
    expect(err.message).toContain('600 s');
    expect(setup.fake.requests).toHaveLength(1);
  });

  it('out of credit (429 insufficient_quota): quota, not retried', async () => {
    const err = await fails('429-quota');
    expect(err).toMatchObject({ kind: 'quota', retryable: false });
    expect(setup.fake.requests).toHaveLength(1);
  });

  it('server error and a dropped connection: retried; server when it persists', async () => {
    setup.fake.retryAfterSeconds = 0;
    setup.fake.failNext('500', 'drop');
    const retries: RetryInfo[] = [];
    await run(engine(), { onRetry: (i) => retries.push(i) });
    expect(retries.map((r) => r.kind)).toEqual(['server', 'offline']);
    setup.fake.failNext('500', '500');
    const err = await failure(run(engine({ retry: { maxAttempts: 2, baseDelayMs: 10 } })));
    expect(err).toMatchObject({ kind: 'server', retryable: true, status: 500 });
  });

  it('timeout: the server never answers; not retried by itself', async () => {
    const err = await fails('hang', { timeoutMs: 400 });
    expect(err).toMatchObject({ kind: 'timeout', retryable: true });
    expect(setup.fake.requests).toHaveLength(1);
  });

  it('no network: offline with the connection error code', async () => {
    const port = await closedPort();
    const err = await failure(
      run(engine({ baseURL: `http://127.0.0.1:${port}/v1`, retry: { maxAttempts: 1 } })),
    );
    expect(err).toMatchObject({ kind: 'offline', retryable: true, code: 'ECONNREFUSED' });
    expect(err.message).toContain(`127.0.0.1:${port}`);
  });

  it('a safety refusal is recognised by its code (moderation_blocked, image_content_policy_violation)', async () => {
    for (const [scenario, code] of [
      ['policy', 'moderation_blocked'],
      ['image-policy', 'image_content_policy_violation'],
    ] as const) {
      const err = await fails(scenario);
      expect(err, scenario).toMatchObject({ kind: 'content-policy', retryable: false, code });
      expect(err.message).toMatch(/safety system.*Reword the prompt/);
    }
    expect(setup.fake.requests).toHaveLength(2);
  });

  it('a parameter error of type image_generation_user_error is not called a safety refusal', async () => {
    const err = await fails('param-error');
    expect(err).toMatchObject({ kind: 'bad-request', code: 'invalid_value', status: 400 });
    expect(err.message).not.toMatch(/safety|reword/i);
    expect(err.message).toMatch(/refused a setting of this request \(action/);
  });

  it('an image OpenAI cannot use (invalid_image, invalid_image_format, image_too_large) is a reference problem', async () => {
    for (const [scenario, code] of [
      ['invalid-image', 'invalid_image'],
      ['invalid-image-format', 'invalid_image_format'],
      ['image-too-large', 'image_too_large'],
    ] as const) {
      const err = await fails(scenario);
      expect(err, scenario).toMatchObject({ kind: 'bad-reference', code, retryable: false });
      expect(err.message).toMatch(/could not use one of the images sent/);
    }
    expect(setup.fake.requests).toHaveLength(3);
  });

  it('no image in the answer: no-image', async () => {
    const err = await fails('no-image', { retry: { maxAttempts: 1 } });
    expect(err).toMatchObject({ kind: 'no-image', retryable: true });
  });

  it('cancel while waiting for the server, during a retry wait, and before starting', async () => {
    setup.fake.failNext('hang');
    const ctrl = new AbortController();
    const pending = run(engine(), { signal: ctrl.signal });
    await vi.waitFor(() => expect(setup.fake.requests).toHaveLength(1));
    ctrl.abort();
    expect(await failure(pending)).toMatchObject({ kind: 'cancelled', retryable: false });

    setup.fake.retryAfterSeconds = 60;
    setup.fake.failNext('429');
    const during = new AbortController();
    expect(
      await failure(run(engine(), { signal: during.signal, onRetry: () => during.abort() })),
    ).toMatchObject({ kind: 'cancelled' });

    const before = new AbortController();
    before.abort();
    const sent = setup.fake.requests.length;
    expect((await failure(run(engine(), { signal: before.signal }))).kind).toBe('cancelled');
    expect(setup.fake.requests).toHaveLength(sent);
  });
});
