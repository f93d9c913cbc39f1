import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';

/** What went wrong with a comic generation, in terms the Studio can act on. */
export type StudioErrorKind =
  | 'no-key' // no API key saved
  | 'bad-key' // 401: the key was rejected
  | 'no-model-access' // 403, or 404 model_not_found: the key's organisation cannot use the model
  | 'quota' // 429 insufficient_quota: the account is out of credit (retrying does not help)
  | 'rate-limited' // 429: too many requests right now
  | 'server' // 5xx or a server_error event
  | 'timeout' // no answer within the time limit
  | 'offline' // no connection to the server at all
  | 'content-policy' // the safety system refused the prompt or a reference photo
  | 'bad-request' // any other 4xx: a setting the server does not accept
  | 'no-image' // the model answered without drawing an image
  | 'bad-reference' // a reference photo could not be read
  | 'cancelled'; // the user pressed Cancel

export interface StudioErrorInit {
  kind: StudioErrorKind;
  message: string;
  retryable: boolean;
  status?: number;
  code?: string;
  retryAfterMs?: number;
  requestId?: string;
  cause?: unknown;
}

/** An error a user sees: `message` says what happened and what to do. Never holds the API key. */
export class StudioError extends Error {
  readonly kind: StudioErrorKind;
  readonly retryable: boolean;
  readonly status?: number;
  readonly code?: string;
  /** How long the server asked us to wait before trying again (Retry-After), if it said. */
  readonly retryAfterMs?: number;
  readonly requestId?: string;

  constructor(init: StudioErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'StudioError';
    this.kind = init.kind;
    this.retryable = init.retryable;
    this.status = init.status;
    this.code = init.code;
    this.retryAfterMs = init.retryAfterMs;
    this.requestId = init.requestId;
  }
}

export function isStudioError(err: unknown): err is StudioError {
  return err instanceof StudioError;
}

/** Where the request went: used to name the setting the user should look at. */
export interface ErrorContext {
  model: string;
  baseURL?: string;
  /** True when the caller's own signal (Cancel button) was aborted. */
  cancelled?: boolean;
  /** True when our own time limit aborted the request. */
  timedOut?: boolean;
  timeoutMs?: number;
}

const POLICY_CODES = new Set(['moderation_blocked', 'content_policy_violation', 'content_filter']);
const OFFLINE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ECONNRESET',
  'UND_ERR_SOCKET',
]);

/** OpenAI echoes part of a rejected key in its 401 message; never let any of it reach a log. */
export function redactSecrets(text: string): string {
  return text.replace(/\bsk-[A-Za-z0-9_\-*]{3,}/g, 'sk-…').replace(/Bearer\s+\S+/gi, 'Bearer …');
}

/** Turns anything the OpenAI SDK (or our own stream handling) throws into a StudioError. */
export function toStudioError(err: unknown, ctx: ErrorContext): StudioError {
  if (err instanceof StudioError) return err;
  if (ctx.cancelled) {
    return new StudioError({ kind: 'cancelled', message: 'Generation cancelled.', retryable: false });
  }
  if (ctx.timedOut || err instanceof APIConnectionTimeoutError) {
    const secs = ctx.timeoutMs ? ` within ${Math.round(ctx.timeoutMs / 1000)} s` : '';
    return new StudioError({
      kind: 'timeout',
      message: `OpenAI did not finish the image${secs}. Try again, choose a lower quality or fewer panels, or raise the time limit in Settings.`,
      retryable: true,
      cause: err,
    });
  }
  if (err instanceof APIUserAbortError) {
    return new StudioError({ kind: 'cancelled', message: 'Generation cancelled.', retryable: false });
  }
  if (err instanceof APIConnectionError) {
    const code = causeCode(err);
    const where = ctx.baseURL ?? 'the OpenAI API';
    return new StudioError({
      kind: 'offline',
      code,
      message: `Could not reach ${where}${code ? ` (${code})` : ''}. Check the internet connection, or the OpenAI base URL in Settings, then try again.`,
      retryable: true,
      cause: err,
    });
  }
  if (err instanceof APIError) {
    return fromApiFailure(
      {
        status: err.status,
        code: err.code ?? undefined,
        type: err.type,
        message: apiMessage(err),
        headers: err.headers,
        requestId: err.requestID ?? undefined,
      },
      ctx,
      err,
    );
  }
  const message = err instanceof Error ? err.message : String(err);
  return new StudioError({
    kind: 'server',
    message: `Generation failed: ${redactSecrets(message)}. Try again.`,
    retryable: true,
    cause: err,
  });
}

export interface ApiFailure {
  status?: number;
  code?: string;
  type?: string;
  message?: string;
  headers?: Headers;
  requestId?: string;
}

/** Maps an HTTP error, or an `error` / `response.failed` event inside a stream, by status and code. */
export function fromApiFailure(f: ApiFailure, ctx: ErrorContext, cause?: unknown): StudioError {
  const said = f.message ? ` OpenAI said: "${redactSecrets(f.message)}"` : '';
  const base = { status: f.status, code: f.code, requestId: f.requestId, cause };
  const code = f.code ?? '';
  if (
    POLICY_CODES.has(code) ||
    f.type === 'image_generation_user_error' ||
    /safety system/i.test(f.message ?? '')
  ) {
    return new StudioError({
      ...base,
      kind: 'content-policy',
      message: `OpenAI's safety system refused this request.${said} Reword the prompt or pick other reference photos.`,
      retryable: false,
    });
  }
  if (f.status === 401 || code === 'invalid_api_key') {
    return new StudioError({
      ...base,
      kind: 'bad-key',
      message: 'OpenAI rejected the API key (401). Paste a valid key in Settings → Comic Studio.',
      retryable: false,
    });
  }
  if (
    f.status === 403 ||
    code === 'model_not_found' ||
    (f.status === 404 && /model/i.test(f.message ?? ''))
  ) {
    return new StudioError({
      ...base,
      kind: 'no-model-access',
      message: `This API key cannot use the model "${ctx.model}".${said} Choose another model in Settings, or enable it for your organisation on the OpenAI platform.`,
      retryable: false,
    });
  }
  if (code === 'insufficient_quota' || code === 'billing_hard_limit_reached') {
    return new StudioError({
      ...base,
      kind: 'quota',
      message: `The OpenAI account has no credit left.${said} Add credit or raise the limit in the OpenAI billing settings.`,
      retryable: false,
    });
  }
  if (f.status === 429 || code === 'rate_limit_exceeded') {
    const retryAfterMs = retryAfterFromHeaders(f.headers);
    return new StudioError({
      ...base,
      kind: 'rate-limited',
      retryAfterMs,
      message: `OpenAI is rate limiting this key${retryAfterMs ? `; it asked to wait ${Math.ceil(retryAfterMs / 1000)} s` : ''}. Wait a moment and try again.`,
      retryable: true,
    });
  }
  if (
    (f.status !== undefined && f.status >= 500) ||
    code === 'server_error' ||
    (f.status === undefined && !code)
  ) {
    return new StudioError({
      ...base,
      kind: 'server',
      retryAfterMs: retryAfterFromHeaders(f.headers),
      message: `OpenAI had a server error${f.status ? ` (${f.status})` : ''}.${said} Try again in a minute.`,
      retryable: true,
    });
  }
  if (f.status === 404) {
    return new StudioError({
      ...base,
      kind: 'bad-request',
      message: `The server at ${ctx.baseURL ?? 'the OpenAI base URL'} has no such endpoint (404). Check the OpenAI base URL in Settings.`,
      retryable: false,
    });
  }
  return new StudioError({
    ...base,
    kind: 'bad-request',
    message: `OpenAI refused the request${f.status ? ` (${f.status})` : ''}.${said} Check the Comic Studio model and size settings.`,
    retryable: false,
  });
}

/** Retry-After is seconds or an HTTP date; OpenAI also sends retry-after-ms. */
export function retryAfterFromHeaders(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return Math.round(ms);
  const raw = headers.get('retry-after');
  if (!raw) return undefined;
  const secs = Number.parseFloat(raw);
  if (Number.isFinite(secs) && secs >= 0) return Math.round(secs * 1000);
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

function apiMessage(err: APIError): string | undefined {
  const body = err.error as { message?: unknown } | undefined;
  return typeof body?.message === 'string' ? body.message : undefined;
}

function causeCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && OFFLINE_CODES.has(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
