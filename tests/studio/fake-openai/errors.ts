/** OpenAI's failures as the service sends them: the error envelope and what each scenario answers. */
import type { ServerResponse } from 'node:http';
import type { RecordedRequest, Scenario } from './types';

export interface ApiError {
  message: string;
  type: string;
  code: string | null;
  param?: string | null;
}

export interface HttpFailure {
  status: number;
  error: ApiError;
  headers?: Record<string, string>;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-request-id': `req_${Math.random().toString(16).slice(2, 14)}`,
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, f: HttpFailure, rec?: RecordedRequest) {
  if (rec) rec.status = f.status;
  sendJson(res, f.status, { error: { param: null, ...f.error } }, f.headers);
}

export const modelNotFound = (model: string, param: string | null = 'model'): HttpFailure => ({
  status: 404,
  error: {
    message: `The model \`${model}\` does not exist or you do not have access to it.`,
    type: 'invalid_request_error',
    code: 'model_not_found',
    param,
  },
});

export const verificationNeeded = (model: string): HttpFailure => ({
  status: 403,
  error: {
    message: `Your organization must be verified to use the model \`${model}\`. Please go to: https://platform.openai.com/settings/organization/general and click on Verify Organization. If you just verified, it can take up to 15 minutes for access to propagate.`,
    type: 'invalid_request_error',
    code: null,
  },
});

export const badKey = (shown: string): HttpFailure => ({
  status: 401,
  error: {
    message: `Incorrect API key provided: ${shown.slice(0, 6)}***${shown.slice(-4)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
    type: 'invalid_request_error',
    code: 'invalid_api_key',
  },
});

/** The image-related codes the Responses API reports in response.failed (ResponseErrorCode). */
export const IMAGE_FAILURES: Partial<Record<Scenario, ApiError>> = {
  'image-policy': {
    type: 'image_generation_user_error',
    code: 'image_content_policy_violation',
    message: 'One of the input images was rejected by the safety system.',
  },
  'invalid-image': {
    type: 'invalid_request_error',
    code: 'invalid_image',
    param: 'image',
    message: 'Invalid image: the file could not be decoded.',
  },
  'invalid-image-format': {
    type: 'invalid_request_error',
    code: 'invalid_image_format',
    param: 'image',
    message: 'Invalid image format. Supported formats are: png, jpeg, webp.',
  },
  'image-too-large': {
    type: 'invalid_request_error',
    code: 'image_too_large',
    param: 'image',
    message: 'The image is too large: each image must be smaller than 50 MB.',
  },
};

/** What a scenario answers before anything is streamed; undefined when the request goes on. */
export function httpFailure(
  s: Scenario,
  model: string,
  retryAfterSeconds: number,
  images: boolean,
): HttpFailure | undefined {
  const retry = { 'retry-after': String(retryAfterSeconds) };
  switch (s) {
    case '403':
      return verificationNeeded(model);
    case '404-model':
      return modelNotFound(model);
    case '429':
      return {
        status: 429,
        error: {
          message: `Rate limit reached for ${model} on requests per min (RPM): Limit 5, Used 5, Requested 1.`,
          type: 'requests',
          code: 'rate_limit_exceeded',
        },
        headers: retry,
      };
    case '429-busy':
      return {
        status: 429,
        error: {
          message: 'Too many requests. Please slow down.',
          type: 'requests',
          code: 'too_many_requests',
        },
        headers: retry,
      };
    case '429-quota':
      return {
        status: 429,
        error: {
          message: 'You exceeded your current quota, please check your plan and billing details.',
          type: 'insufficient_quota',
          code: 'insufficient_quota',
        },
      };
    case '500':
      return {
        status: 500,
        error: {
          message: 'The server had an error while processing your request. Sorry about that!',
          type: 'server_error',
          code: null,
        },
        headers: retry,
      };
    case 'policy':
      return {
        status: 400,
        error: {
          message: 'Your request was rejected by the safety system. safety_violations=[violence].',
          type: 'image_generation_user_error',
          code: 'moderation_blocked',
        },
      };
    case 'param-error':
      // The type that also carries safety refusals, for a plain parameter error.
      return {
        status: 400,
        error: {
          message: "Invalid value: 'sideways'. Supported values are: 'generate', 'edit' and 'auto'.",
          type: 'image_generation_user_error',
          code: 'invalid_value',
          param: 'action',
        },
      };
    default: {
      const image = images ? IMAGE_FAILURES[s] : undefined;
      return image ? { status: 400, error: image } : undefined;
    }
  }
}
