import { StudioError, type StudioErrorKind } from './errors';

/** What the Studio shows while waiting to try again: "Rate limited; retrying in 3 s (attempt 2 of 4)". */
export interface RetryInfo {
  /** The attempt about to be made (2 = first retry). */
  attempt: number;
  maxAttempts: number;
  delayMs: number;
  /** delayMs rounded up to whole seconds, for display. */
  delaySeconds: number;
  kind: StudioErrorKind;
  message: string;
}

export interface RetryPolicy {
  /** Total attempts including the first. Default 4. */
  maxAttempts?: number;
  /** First backoff delay when the server gives no Retry-After. Default 2000 ms, doubling. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A Retry-After longer than this is not waited for: the error goes to the user instead. Default 120 s. */
  maxRetryAfterMs?: number;
}

/**
 * Only what the service marks as passing is retried by itself: a rate limit (429, or a
 * rate_limit_exceeded event), a server error (5xx, server_error) and a dropped connection.
 * Nothing else: a refusal or a parameter error fails the same way again, and a timeout may
 * still be drawing (and billing) the first image. Every attempt's reported usage is counted.
 */
const AUTO_RETRIED = new Set<StudioErrorKind>(['rate-limited', 'server', 'offline']);

export async function withRetry<T>(
  run: (attempt: number) => Promise<T>,
  opts: RetryPolicy & {
    signal?: AbortSignal;
    onRetry?: (info: RetryInfo) => void;
    /** Every failed attempt, retried or not (its usage may have been billed). */
    onAttemptFailed?: (err: StudioError) => void;
  },
): Promise<T> {
  const maxAttempts = Math.max(1, opts.maxAttempts ?? 4);
  const base = opts.baseDelayMs ?? 2000;
  const maxDelay = opts.maxDelayMs ?? 60_000;
  const maxRetryAfter = opts.maxRetryAfterMs ?? 120_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await run(attempt);
    } catch (err) {
      if (err instanceof StudioError) opts.onAttemptFailed?.(err);
      if (
        !(err instanceof StudioError) ||
        !err.retryable ||
        !AUTO_RETRIED.has(err.kind) ||
        attempt >= maxAttempts
      )
        throw err;
      if (err.retryAfterMs !== undefined && err.retryAfterMs > maxRetryAfter) throw err;
      const delayMs = err.retryAfterMs ?? Math.min(maxDelay, base * 2 ** (attempt - 1));
      const delaySeconds = Math.ceil(delayMs / 1000);
      const what =
        err.kind === 'rate-limited'
          ? 'Rate limited by OpenAI'
          : err.kind === 'offline'
            ? 'The connection to OpenAI broke'
            : 'OpenAI server error';
      opts.onRetry?.({
        attempt: attempt + 1,
        maxAttempts,
        delayMs,
        delaySeconds,
        kind: err.kind,
        message: `${what}; retrying in ${delaySeconds} s (attempt ${attempt + 1} of ${maxAttempts}).`,
      });
      await sleep(delayMs, opts.signal);
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const cancelled = () =>
      new StudioError({ kind: 'cancelled', message: 'Generation cancelled.', retryable: false });
    if (signal?.aborted) return reject(cancelled());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
