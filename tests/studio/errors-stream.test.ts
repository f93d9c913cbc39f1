// Failures inside a stream, as the service sends them: error events (nested and flat),
// response.failed, failed image_generation_call items, dropped connections; what is retried
// and that every attempt's usage is counted.
import OpenAI from 'openai';
import { describe, expect, it, vi } from 'vitest';
import type { OpenAIEngineConfig, RetryInfo } from '../../src/main/core/studio/engine';
import { toStudioError } from '../../src/main/core/studio/errors';
import { createImagesEngine } from '../../src/main/core/studio/openai-images';
import { createResponsesEngine } from '../../src/main/core/studio/openai-responses';
import { useFakeOpenAIWithReferences } from './engine-setup';
import { failure } from './failures';
import type { Scenario } from './fake-openai';

describe('Responses engine: failures inside the stream', () => {
  const setup = useFakeOpenAIWithReferences(1, 256);
  const engine = (over: Partial<OpenAIEngineConfig> = {}) =>
    createResponsesEngine({
      apiKey: setup.fake.apiKey,
      baseURL: setup.fake.baseURL,
      retry: { baseDelayMs: 10 },
      ...over,
    });
  const generate = (
    scenario: Scenario | null,
    over: Partial<OpenAIEngineConfig> = {},
    signal = new AbortController().signal,
    onRetry?: (i: RetryInfo) => void,
  ) => {
    if (scenario) setup.fake.failNext(scenario);
    return engine(over).generate({
      prompt: 'one panel',
      references: setup.refs,
      size: '1024x1024',
      quality: 'low',
      n: 1,
      signal,
      onRetry,
    });
  };

  it('an error event mid-stream, nested under `error` as the service sends it, is read by its code and retried', async () => {
    const retries: RetryInfo[] = [];
    const result = await generate('stream-error', {}, undefined, (i) => retries.push(i));
    expect(result.images).toHaveLength(1);
    expect(retries).toMatchObject([{ kind: 'server', attempt: 2 }]);
    const err = await failure(generate('stream-error', { retry: { maxAttempts: 1 } }));
    expect(err).toMatchObject({ kind: 'server', code: 'server_error', retryable: true });
  });

  it('the documented flat error event and a mid-stream rate limit are read the same way', async () => {
    expect(await failure(generate('stream-error-flat', { retry: { maxAttempts: 1 } }))).toMatchObject({
      kind: 'server',
      code: 'server_error',
    });
    expect(await failure(generate('stream-rate-limit', { retry: { maxAttempts: 1 } }))).toMatchObject({
      kind: 'rate-limited',
      code: 'rate_limit_exceeded',
    });
  });

  it('response.failed is read by error.code, retried when it is a server error, and its tokens are counted', async () => {
    const ok = await generate(null);
    setup.fake.requests.length = 0;
    const retried = await generate('response-failed');
    expect(setup.fake.requests.map((r) => r.scenario)).toEqual(['response-failed', 'ok']);
    // The failed attempt reported usage (it may be billed): it is added to the successful one's.
    expect(retried.usage.totalTokens).toBe(2 * ok.usage.totalTokens);
    const err = await failure(generate('response-failed', { retry: { maxAttempts: 1 } }));
    expect(err).toMatchObject({ kind: 'server', code: 'server_error' });
    expect(err.usage?.totalTokens).toBe(ok.usage.totalTokens);
  });

  it('response.failed with an image code is the reference problem or refusal it names, not retried', async () => {
    expect(await failure(generate('invalid-image'))).toMatchObject({
      kind: 'bad-reference',
      code: 'invalid_image',
    });
    expect(await failure(generate('image-policy'))).toMatchObject({
      kind: 'content-policy',
      code: 'image_content_policy_violation',
    });
    expect(setup.fake.requests).toHaveLength(2);
  });

  it('a failed image_generation_call item ends the attempt without an image, and is not retried blindly', async () => {
    const err = await failure(generate('image-call-failed'));
    expect(err).toMatchObject({ kind: 'no-image', model: 'gpt-image-2.6-sunburst', retryable: true });
    expect(setup.fake.requests).toHaveLength(1);
  });

  it('a connection dropped mid-stream is retried, bounded', async () => {
    const retries: RetryInfo[] = [];
    await generate('drop-stream', {}, undefined, (i) => retries.push(i));
    expect(retries).toMatchObject([{ kind: 'offline' }]);
    setup.fake.failNext('drop-stream', 'drop-stream');
    const err = await failure(generate(null, { retry: { maxAttempts: 2, baseDelayMs: 10 } }));
    expect(err).toMatchObject({ kind: 'offline', retryable: true });
    expect(err.message).toMatch(/broke while the page was being drawn/);
  });

  it('a stream that stalls after its first events times out; cancel while it is open is cancelled', async () => {
    await expect(generate('hang-stream', { timeoutMs: 400 })).rejects.toMatchObject({ kind: 'timeout' });
    const ctrl = new AbortController();
    const pending = generate('hang-stream', {}, ctrl.signal);
    await vi.waitFor(() => expect(setup.fake.requests.at(-1)?.scenario).toBe('hang-stream'));
    await new Promise((r) => setTimeout(r, 50)); // let the first events arrive
    ctrl.abort();
    await expect(pending).rejects.toMatchObject({ kind: 'cancelled' });
  });

  it('a text-only answer is no-image and quotes the model', async () => {
    const err = await failure(generate('no-image', { retry: { maxAttempts: 1 } }));
    expect(err.kind).toBe('no-image');
    expect(err.message).toContain('will not draw it');
  });

  it('an unknown previous response is a bad request with its code, not retried', async () => {
    const err = await failure(
      engine().generate({
        prompt: 'again',
        references: setup.refs,
        size: '1024x1024',
        quality: 'low',
        n: 1,
        previous: { responseId: 'resp_gone' },
        signal: new AbortController().signal,
      }),
    );
    expect(err).toMatchObject({ kind: 'bad-request', retryable: false, code: 'previous_response_not_found' });
  });

  it('one failing variation stops the whole request with its error', async () => {
    setup.fake.failNext('policy');
    const err = await failure(
      engine({ concurrency: 1 }).generate({
        prompt: 'x',
        references: setup.refs,
        size: '1024x1024',
        quality: 'low',
        n: 3,
        signal: new AbortController().signal,
      }),
    );
    expect(err.kind).toBe('content-policy');
  });

  it('what the issue saw: input_fidelity sent to gpt-image-2 is a parameter error, never "reword the prompt"', async () => {
    // Sent by hand (Komorebi no longer sends it), to check how the service's answer is read.
    const sdk = new OpenAI({ apiKey: setup.fake.apiKey, baseURL: setup.fake.baseURL, maxRetries: 0 });
    const err = await sdk.responses
      .create({
        model: 'gpt-6-luna',
        input: 'a comic page',
        tools: [{ type: 'image_generation', input_fidelity: 'high' }],
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      status: 400,
      code: 'invalid_input_fidelity_model',
      type: 'image_generation_user_error',
    });
    const read = toStudioError(err, { model: 'gpt-6-luna' });
    expect(read).toMatchObject({ kind: 'bad-request', code: 'invalid_input_fidelity_model' });
    expect(read.message).toMatch(/does not take the input_fidelity setting/);
    expect(read.message).not.toMatch(/safety|reword/i);
  });
});

describe('Images engine: failures inside a streamed edit', () => {
  const setup = useFakeOpenAIWithReferences(1, 256);
  const generate = (scenario: Scenario, over: Partial<OpenAIEngineConfig> = {}) => {
    setup.fake.failNext(scenario);
    return createImagesEngine({
      apiKey: setup.fake.apiKey,
      baseURL: setup.fake.baseURL,
      retry: { baseDelayMs: 10 },
      ...over,
    }).generate({
      prompt: 'one panel',
      references: setup.refs,
      size: '1024x1024',
      quality: 'low',
      n: 1,
      signal: new AbortController().signal,
      onPartial: () => {},
    });
  };

  it('an error event mid-stream is a server error, retried', async () => {
    const result = await generate('stream-error');
    expect(result.images).toHaveLength(1);
    expect(setup.fake.requests.map((r) => r.scenario)).toEqual(['stream-error', 'ok']);
    expect(await failure(generate('stream-error', { retry: { maxAttempts: 1 } }))).toMatchObject({
      kind: 'server',
      code: 'server_error',
    });
  });

  it('a connection dropped after the first partial image is retried', async () => {
    const result = await generate('drop-stream');
    expect(result.images).toHaveLength(1);
    expect(setup.fake.requests).toHaveLength(2);
  });
});
