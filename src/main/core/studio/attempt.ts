import OpenAI from 'openai';
import { secretEndpointProblem } from '../../../shared/endpoints';
import type { GenerateRequest, GenerateUsage, OpenAIEngineConfig } from './engine';
import { addUsage, DEFAULT_TIMEOUT_MS, NO_USAGE } from './engine';
import { StudioError, toStudioError } from './errors';
import { withRetry } from './retry';

/**
 * One SDK client per engine; our own retry loop replaces the SDK's (so the user sees each wait).
 * A key never leaves over plain http for another computer, whoever built the config.
 */
export function makeClient(cfg: OpenAIEngineConfig): OpenAI {
  const baseURL = resolvedBaseURL(cfg);
  const refused = cfg.apiKey && baseURL ? secretEndpointProblem(baseURL) : null;
  if (refused) throw new StudioError({ kind: 'bad-request', message: refused, retryable: false });
  return new OpenAI({
    apiKey: cfg.apiKey ?? '',
    baseURL,
    maxRetries: 0,
    timeout: cfg.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    logLevel: 'off',
  });
}

/**
 * An engine's client, made on first use: every call checks the key first (a missing key is
 * the user's to fix, not a request to send), then reuses the one client.
 */
export function lazyClient(cfg: OpenAIEngineConfig): () => OpenAI {
  let client: OpenAI | undefined;
  return () => {
    requireKey(cfg);
    client ??= makeClient(cfg);
    return client;
  };
}

/** The Settings value, else OPENAI_BASE_URL, else the SDK's default (api.openai.com). */
export function resolvedBaseURL(cfg: OpenAIEngineConfig): string | undefined {
  return cfg.baseURL || process.env.OPENAI_BASE_URL || undefined;
}

export function requireKey(cfg: OpenAIEngineConfig): void {
  if (!cfg.apiKey || cfg.apiKey.trim() === '') {
    throw new StudioError({
      kind: 'no-key',
      message: 'No OpenAI API key is set. Add one in Settings → Comic Studio to generate comics.',
      retryable: false,
    });
  }
}

/**
 * Runs one request with the user's Cancel signal and our own time limit. The SDK's timeout
 * only covers the wait for response headers; a stream that stalls after them is caught here.
 */
export async function attempt<T>(
  cfg: OpenAIEngineConfig,
  model: string,
  userSignal: AbortSignal,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const timeoutMs = cfg.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timer = new AbortController();
  const handle = setTimeout(() => timer.abort(), timeoutMs);
  const signal = AbortSignal.any([userSignal, timer.signal]);
  const ctx = { model, baseURL: resolvedBaseURL(cfg), timeoutMs };
  try {
    if (userSignal.aborted)
      throw new StudioError({ kind: 'cancelled', message: 'Generation cancelled.', retryable: false });
    return await run(signal);
  } catch (err) {
    throw toStudioError(err, {
      ...ctx,
      cancelled: userSignal.aborted,
      timedOut: !userSignal.aborted && timer.signal.aborted,
    });
  } finally {
    clearTimeout(handle);
  }
}

/** Runs `count` jobs with at most `limit` at once, keeping results in order. */
export async function inOrder<T>(
  count: number,
  limit: number,
  job: (index: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await job(i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, count)) }, worker));
  return results;
}

/**
 * Runs an attempt under the retry policy and adds up what every attempt reported using:
 * failed attempts may have been billed, so their tokens count too (and go with the error
 * when all of them fail).
 */
export async function retriedWithUsage<T extends { usage?: GenerateUsage }>(
  cfg: OpenAIEngineConfig,
  req: Pick<GenerateRequest, 'signal' | 'onRetry'>,
  run: () => Promise<T>,
): Promise<{ result: T; usage: GenerateUsage }> {
  let failed = NO_USAGE;
  const count = (e: StudioError) => {
    failed = addUsage(failed, e.usage);
  };
  try {
    const result = await withRetry(run, {
      ...cfg.retry,
      signal: req.signal,
      onRetry: req.onRetry,
      onAttemptFailed: count,
    });
    return { result, usage: addUsage(failed, result.usage) };
  } catch (err) {
    if (err instanceof StudioError && failed.totalTokens > 0) err.usage = failed;
    throw err;
  }
}
