// How a failure the service reports is read: by its code first, its status second, never by its type alone.
import { describe, expect, it } from 'vitest';
import { fromApiFailure, type StudioErrorKind } from '../../src/main/core/studio/errors';

const ctx = { model: 'gpt-6-luna', baseURL: 'https://api.openai.com/v1' };

describe('fromApiFailure', () => {
  it.each<
    [string, { status?: number; code?: string; type?: string; message?: string }, StudioErrorKind, boolean]
  >([
    [
      'moderation_blocked',
      { status: 400, code: 'moderation_blocked', type: 'image_generation_user_error' },
      'content-policy',
      false,
    ],
    ['image_content_policy_violation', { code: 'image_content_policy_violation' }, 'content-policy', false],
    ['invalid_image', { status: 400, code: 'invalid_image' }, 'bad-reference', false],
    ['invalid_image_format', { code: 'invalid_image_format' }, 'bad-reference', false],
    ['image_too_large', { status: 400, code: 'image_too_large' }, 'bad-reference', false],
    ['rate_limit_exceeded', { status: 429, code: 'rate_limit_exceeded' }, 'rate-limited', true],
    ['too_many_requests (in a stream, no status)', { code: 'too_many_requests' }, 'rate-limited', true],
    ['insufficient_quota', { status: 429, code: 'insufficient_quota' }, 'quota', false],
    [
      'model_not_found',
      {
        status: 404,
        code: 'model_not_found',
        message: 'The model `gpt-image-1` does not exist or you do not have access to it.',
      },
      'model-not-found',
      false,
    ],
    [
      'previous_response_not_found',
      { status: 400, code: 'previous_response_not_found' },
      'bad-request',
      false,
    ],
    [
      'invalid_input_fidelity_model',
      { status: 400, code: 'invalid_input_fidelity_model', type: 'image_generation_user_error' },
      'bad-request',
      false,
    ],
    ['server_error in a stream', { code: 'server_error' }, 'server', true],
    ['500', { status: 500 }, 'server', true],
    [
      '403 verification',
      {
        status: 403,
        message: 'Your organization must be verified to use the model `gpt-image-2.6-sunburst`.',
      },
      'no-model-access',
      false,
    ],
    ['401', { status: 401, code: 'invalid_api_key' }, 'bad-key', false],
  ])('%s', (_name, f, kind, retryable) => {
    expect(fromApiFailure(f, ctx)).toMatchObject({ kind, retryable });
  });

  it('never takes image_generation_user_error alone for a safety refusal', () => {
    for (const code of [undefined, 'invalid_value', 'unknown_parameter', 'invalid_input_fidelity_model']) {
      const err = fromApiFailure(
        { status: 400, type: 'image_generation_user_error', code, message: 'Invalid value for size.' },
        ctx,
      );
      expect(err.kind, String(code)).toBe('bad-request');
      expect(err.message).not.toMatch(/safety|reword/i);
    }
    // Not even when the message talks about safety: only the code decides.
    expect(
      fromApiFailure({ status: 400, message: 'the safety system', code: 'invalid_value' }, ctx).kind,
    ).toBe('bad-request');
  });

  it('names the model the service named, not the one the request was made with', () => {
    const gone = fromApiFailure(
      {
        status: 404,
        code: 'model_not_found',
        message: 'The model `gpt-image-1` does not exist or you do not have access to it.',
      },
      ctx,
    );
    expect(gone).toMatchObject({ model: 'gpt-image-1' });
    expect(gone.message).toMatch(
      /no longer offers the model "gpt-image-1".*prompt, photos and versions are kept/,
    );
    const verify = fromApiFailure(
      {
        status: 403,
        message: 'Your organization must be verified to use the model `gpt-image-2.6-sunburst`.',
      },
      ctx,
    );
    expect(verify.model).toBe('gpt-image-2.6-sunburst');
    expect(fromApiFailure({ status: 404, code: 'model_not_found' }, ctx).model).toBe('gpt-6-luna');
  });
});
