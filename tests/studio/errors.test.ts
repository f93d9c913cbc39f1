import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkOpenAIAccess } from '../../src/main/core/studio/connection';
import type {
  ComicEngine,
  OpenAIEngineConfig,
  PreparedReference,
  RetryInfo,
} from '../../src/main/core/studio/engine';
import { StudioError } from '../../src/main/core/studio/errors';
import { createImagesEngine } from '../../src/main/core/studio/openai-images';
import { createResponsesEngine } from '../../src/main/core/studio/openai-responses';
import { type FakeOpenAI, type Scenario, startFakeOpenAI } from './fake-openai';
import { preparedReferences } from './fixtures';

const engines: Array<[string, (cfg: OpenAIEngineConfig) => ComicEngine]> = [
  ['Responses', createResponsesEngine],
  ['Images', createImagesEngine],
];

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

describe.each(engines)('%s engine errors, retries and cancel', (_name, create) => {
  let fake: FakeOpenAI;
  let dir: string;
  let refs: PreparedReference[];
  let logged: string[];

  beforeAll(async () => {
    fake = await startFakeOpenAI();
    dir = await mkdtemp(join(tmpdir(), 'komorebi-errors-'));
    refs = await preparedReferences(dir, 1, 512);
  });
  afterAll(async () => {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    fake.requests.length = 0;
    fake.retryAfterSeconds = 1;
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
    expect(logged.join('\n')).not.toContain(fake.apiKey);
  });

  const engine = (over: Partial<OpenAIEngineConfig> = {}) =>
    create({ apiKey: fake.apiKey, baseURL: fake.baseURL, retry: { baseDelayMs: 10 }, ...over });

  const run = (
    e: ComicEngine,
    extra: { signal?: AbortSignal; onRetry?: (i: RetryInfo) => void; prompt?: string } = {},
  ) =>
    e.generate({
      prompt: extra.prompt ?? 'Draw exactly 1 panel in row 1.',
      references: refs,
      size: '1024x1024',
      quality: 'low',
      n: 1,
      signal: extra.signal ?? new AbortController().signal,
      onRetry: extra.onRetry,
    });

  const failure = async (p: Promise<unknown>): Promise<StudioError> => {
    const err = await p.then(
      () => {
        throw new Error('expected a failure');
      },
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StudioError);
    return err as StudioError;
  };

  it('no key: says where to add one, sends nothing', async () => {
    for (const apiKey of [undefined, '', '   ']) {
      const err = await failure(run(engine({ apiKey })));
      expect(err).toMatchObject({ kind: 'no-key', retryable: false });
      expect(err.message).toMatch(/Settings/);
    }
    expect(fake.requests).toHaveLength(0);
  });

  it('rejected key (401): bad-key, and no part of the key in the message', async () => {
    const badKey = 'sk-proj-THISISASECRETKEY1234567890';
    const err = await failure(run(engine({ apiKey: badKey })));
    expect(err).toMatchObject({ kind: 'bad-key', retryable: false, status: 401 });
    expect(err.message).not.toMatch(/sk-|7890|SECRET/);
    expect(fake.requests).toHaveLength(1);
  });

  it('no access to the model: 403 and 404 model_not_found', async () => {
    fake.failNext('403');
    const forbidden = await failure(run(engine()));
    expect(forbidden).toMatchObject({ kind: 'no-model-access', retryable: false, status: 403 });
    const missing = await failure(run(engine({ model: 'gpt-9-imaginary' })));
    expect(missing).toMatchObject({ kind: 'no-model-access', status: 404, code: 'model_not_found' });
    expect(missing.message).toContain('gpt-9-imaginary');
  });

  it('rate limit: waits what Retry-After says, reports it, then succeeds', async () => {
    fake.failNext('429');
    const retries: RetryInfo[] = [];
    const result = await run(engine(), { onRetry: (i) => retries.push(i) });
    expect(result.images).toHaveLength(1);
    expect(fake.requests.map((r) => r.status)).toEqual([429, 200]);
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ attempt: 2, delayMs: 1000, delaySeconds: 1, kind: 'rate-limited' });
    expect(retries[0]!.message).toContain('retrying in 1 s');
  });

  it('rate limit that does not clear: rate-limited after the last attempt, retryable', async () => {
    fake.retryAfterSeconds = 0;
    fake.failNext('429', '429', '429');
    const retries: RetryInfo[] = [];
    const err = await failure(
      run(engine({ retry: { maxAttempts: 3, baseDelayMs: 10 } }), { onRetry: (i) => retries.push(i) }),
    );
    expect(err).toMatchObject({ kind: 'rate-limited', retryable: true, status: 429 });
    expect(retries.map((r) => r.attempt)).toEqual([2, 3]);
    expect(fake.requests).toHaveLength(3);
  });

  it('a Retry-After longer than the limit goes straight to the user', async () => {
    fake.retryAfterSeconds = 600;
    fake.failNext('429');
    const err = await failure(run(engine()));
    expect(err).toMatchObject({ kind: 'rate-limited', retryAfterMs: 600_000 });
    expect(err.message).toContain('600 s');
    expect(fake.requests).toHaveLength(1);
  });

  it('out of credit (429 insufficient_quota): quota, not retried', async () => {
    fake.failNext('429-quota');
    const err = await failure(run(engine()));
    expect(err).toMatchObject({ kind: 'quota', retryable: false });
    expect(fake.requests).toHaveLength(1);
  });

  it('server error: retried, and reported as server when it persists', async () => {
    fake.retryAfterSeconds = 0;
    fake.failNext('500');
    const retries: RetryInfo[] = [];
    await run(engine(), { onRetry: (i) => retries.push(i) });
    expect(retries).toMatchObject([{ kind: 'server', attempt: 2 }]);
    fake.failNext('500', '500');
    const err = await failure(run(engine({ retry: { maxAttempts: 2, baseDelayMs: 10 } })));
    expect(err).toMatchObject({ kind: 'server', retryable: true, status: 500 });
  });

  it('timeout: the server never answers; not retried by itself', async () => {
    fake.failNext('hang');
    const err = await failure(run(engine({ timeoutMs: 400 })));
    expect(err).toMatchObject({ kind: 'timeout', retryable: true });
    expect(fake.requests).toHaveLength(1);
  });

  it('no network: offline with the connection error code', async () => {
    const port = await closedPort();
    const err = await failure(run(engine({ baseURL: `http://127.0.0.1:${port}/v1` })));
    expect(err).toMatchObject({ kind: 'offline', retryable: true, code: 'ECONNREFUSED' });
    expect(err.message).toContain(`127.0.0.1:${port}`);
  });

  it('content policy refusal (400 moderation_blocked): content-policy, not retryable', async () => {
    const err = await failure(run(engine(), { prompt: 'FAKE:policy something' }));
    expect(err).toMatchObject({
      kind: 'content-policy',
      retryable: false,
      status: 400,
      code: 'moderation_blocked',
    });
    expect(err.message).toMatch(/safety system/);
    expect(fake.requests).toHaveLength(1);
  });

  it('no image in the answer: no-image', async () => {
    fake.failNext('no-image');
    const err = await failure(run(engine({ retry: { maxAttempts: 1 } })));
    expect(err).toMatchObject({ kind: 'no-image', retryable: true });
  });

  it('cancel while waiting for the server', async () => {
    fake.failNext('hang');
    const ctrl = new AbortController();
    const pending = run(engine(), { signal: ctrl.signal });
    await vi.waitFor(() => expect(fake.requests).toHaveLength(1));
    ctrl.abort();
    const err = await failure(pending);
    expect(err).toMatchObject({ kind: 'cancelled', retryable: false });
  });

  it('cancel during a retry wait', async () => {
    fake.retryAfterSeconds = 60;
    fake.failNext('429');
    const ctrl = new AbortController();
    const err = await failure(run(engine(), { signal: ctrl.signal, onRetry: () => ctrl.abort() }));
    expect(err).toMatchObject({ kind: 'cancelled' });
    expect(fake.requests).toHaveLength(1);
  });

  it('cancel before starting sends nothing', async () => {
    const ctrl = new AbortController();
    ctrl.abort();
    const err = await failure(run(engine(), { signal: ctrl.signal }));
    expect(err.kind).toBe('cancelled');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('Responses engine: failures inside the stream', () => {
  let fake: FakeOpenAI;
  let dir: string;
  let refs: PreparedReference[];
  beforeAll(async () => {
    fake = await startFakeOpenAI();
    dir = await mkdtemp(join(tmpdir(), 'komorebi-stream-'));
    refs = await preparedReferences(dir, 1, 256);
  });
  afterAll(async () => {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });

  const generate = (
    scenario: Scenario,
    over: Partial<OpenAIEngineConfig> = {},
    signal = new AbortController().signal,
  ) =>
    createResponsesEngine({
      apiKey: fake.apiKey,
      baseURL: fake.baseURL,
      retry: { maxAttempts: 1 },
      ...over,
    }).generate({
      prompt: `FAKE:${scenario}`,
      references: refs,
      size: '1024x1024',
      quality: 'low',
      n: 1,
      signal,
    });

  it('an error event mid-stream is a server error', async () => {
    await expect(generate('stream-error')).rejects.toMatchObject({ kind: 'server', retryable: true });
  });

  it('a stream that stalls after its first events times out', async () => {
    await expect(generate('hang-stream', { timeoutMs: 400 })).rejects.toMatchObject({ kind: 'timeout' });
  });

  it('cancel while the stream is open is cancelled, not a missing image', async () => {
    const ctrl = new AbortController();
    const pending = generate('hang-stream', {}, ctrl.signal);
    await vi.waitFor(() => expect(fake.requests.at(-1)?.scenario).toBe('hang-stream'));
    await new Promise((r) => setTimeout(r, 50)); // let the first events arrive
    ctrl.abort();
    await expect(pending).rejects.toMatchObject({ kind: 'cancelled' });
  });

  it('a text-only answer is no-image and quotes the model', async () => {
    const err = (await generate('no-image').catch((e: unknown) => e)) as StudioError;
    expect(err.kind).toBe('no-image');
    expect(err.message).toContain('will not draw it');
  });

  it('an unknown previous response is a bad request, not retried', async () => {
    const err = (await createResponsesEngine({ apiKey: fake.apiKey, baseURL: fake.baseURL })
      .generate({
        prompt: 'again',
        references: refs,
        size: '1024x1024',
        quality: 'low',
        n: 1,
        previous: { responseId: 'resp_gone' },
        signal: new AbortController().signal,
      })
      .catch((e: unknown) => e)) as StudioError;
    expect(err).toMatchObject({ kind: 'bad-request', retryable: false, code: 'previous_response_not_found' });
  });

  it('one failing variation stops the whole request with its error', async () => {
    fake.failNext('policy');
    const err = (await createResponsesEngine({ apiKey: fake.apiKey, baseURL: fake.baseURL, concurrency: 1 })
      .generate({
        prompt: 'x',
        references: refs,
        size: '1024x1024',
        quality: 'low',
        n: 3,
        signal: new AbortController().signal,
      })
      .catch((e: unknown) => e)) as StudioError;
    expect(err.kind).toBe('content-policy');
  });
});

describe('checkOpenAIAccess (Settings "Test connection")', () => {
  let fake: FakeOpenAI;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
  });
  afterAll(async () => {
    await fake.close();
  });

  it('confirms a good key can use the chosen models', async () => {
    const res = await checkOpenAIAccess({ apiKey: fake.apiKey, baseURL: fake.baseURL }, [
      'gpt-4o',
      'gpt-image-1',
    ]);
    expect(res.models).toEqual(['gpt-4o', 'gpt-image-1']);
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /v1/models/gpt-4o',
      'GET /v1/models/gpt-image-1',
    ]);
  });

  it('reports a missing key, a rejected key, a model without access and no network', async () => {
    await expect(checkOpenAIAccess({ apiKey: '' }, ['gpt-4o'])).rejects.toMatchObject({ kind: 'no-key' });
    await expect(
      checkOpenAIAccess({ apiKey: 'sk-wrong', baseURL: fake.baseURL }, ['gpt-4o']),
    ).rejects.toMatchObject({
      kind: 'bad-key',
    });
    await expect(
      checkOpenAIAccess({ apiKey: fake.apiKey, baseURL: fake.baseURL }, ['gpt-4o', 'gpt-image-7']),
    ).rejects.toMatchObject({ kind: 'no-model-access', message: expect.stringContaining('gpt-image-7') });
    const port = await closedPort();
    await expect(
      checkOpenAIAccess({ apiKey: fake.apiKey, baseURL: `http://127.0.0.1:${port}/v1` }, ['gpt-4o']),
    ).rejects.toMatchObject({ kind: 'offline' });
  });
});
