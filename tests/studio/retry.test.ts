import { describe, expect, it } from 'vitest';
import { redactSecrets, retryAfterFromHeaders, StudioError } from '../../src/main/core/studio/errors';
import { type RetryInfo, withRetry } from '../../src/main/core/studio/retry';

describe('Retry-After parsing', () => {
  it('reads seconds, milliseconds and HTTP dates', () => {
    expect(retryAfterFromHeaders(new Headers({ 'retry-after': '7' }))).toBe(7000);
    expect(retryAfterFromHeaders(new Headers({ 'retry-after-ms': '1500', 'retry-after': '7' }))).toBe(1500);
    const now = Date.parse('2026-11-25T10:00:00Z');
    expect(retryAfterFromHeaders(new Headers({ 'retry-after': 'Wed, 25 Nov 2026 10:00:30 GMT' }), now)).toBe(
      30_000,
    );
    expect(retryAfterFromHeaders(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterFromHeaders(undefined)).toBeUndefined();
  });
});

describe('withRetry', () => {
  const rateLimited = (retryAfterMs?: number) =>
    new StudioError({ kind: 'rate-limited', message: 'slow down', retryable: true, retryAfterMs });

  it('backs off exponentially without Retry-After and reports each wait', async () => {
    const seen: RetryInfo[] = [];
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        if (calls < 3) throw rateLimited();
        return 'drawn';
      },
      { baseDelayMs: 5, onRetry: (i) => seen.push(i) },
    );
    expect(result).toBe('drawn');
    expect(seen.map((i) => [i.attempt, i.delayMs])).toEqual([
      [2, 5],
      [3, 10],
    ]);
  });

  it('does not retry what a retry cannot fix', async () => {
    for (const kind of ['bad-key', 'content-policy', 'timeout', 'quota'] as const) {
      let calls = 0;
      await expect(
        withRetry(
          async () => {
            calls++;
            throw new StudioError({ kind, message: kind, retryable: kind === 'timeout' });
          },
          { baseDelayMs: 1 },
        ),
      ).rejects.toMatchObject({ kind });
      expect(calls).toBe(1);
    }
  });
});

describe('redactSecrets', () => {
  it('removes keys and bearer tokens from server text', () => {
    expect(redactSecrets('Incorrect API key provided: sk-proj-abc***wxyz. See docs.')).toBe(
      'Incorrect API key provided: sk-…. See docs.',
    );
    expect(redactSecrets('Authorization: Bearer sk-123456')).not.toContain('123456');
  });
});
