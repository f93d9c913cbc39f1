import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';

/** What went wrong with a comic generation, in terms the Studio can act on. */
export type StudioErrorKind =
  | 'no-key' // no API key saved
  | 'bad-key' // 401: the key was rejected
  | 'no-model-access' // 403: the key's organisation may not use the model (verification, project limits)
  | 'model-not-found' // 404 model_not_found: the service no longer knows the model (retired, or a typo)
  | 'quota' // 429 insufficient_quota: the account is out of credit (retrying does not help)
  | 'rate-limited' // 429: too many requests right now
  | 'server' // 5xx or a server_error event
  | 'timeout' // no answer within the time limit
  | 'offline' // no connection to the server at all
  | 'content-policy' // the safety system refused the prompt or a reference photo (by its code only)
  | 'bad-request' // any other 4xx: a setting the server does not accept
  | 'no-image' // the model answered without drawing an image
  | 'bad-reference' // a reference photo could not be read here, or OpenAI could not use an image sent
  | 'cancelled'; // the user pressed Cancel

export interface StudioErrorInit {
  kind: StudioErrorKind;
  message: string;
  retryable: boolean;
  status?: number;
  code?: string;
  retryAfterMs?: number;
  requestId?: string;
  /** The model the failure is about, when the service named one (or the one the request used). */
  model?: string;
  /** Tokens the failed attempts reported (they may be billed). */
  usage?: import('./engine').GenerateUsage;
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
  readonly model?: string;
  /** Usage of failed attempts, summed by the retry loop: they may have been billed. */
  usage?: import('./engine').GenerateUsage;

  constructor(init: StudioErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'StudioError';
    this.kind = init.kind;
    this.retryable = init.retryable;
    this.status = init.status;
    this.code = init.code;
    this.retryAfterMs = init.retryAfterMs;
    this.requestId = init.requestId;
    this.model = init.model;
    this.usage = init.usage;
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

/** Safety refusals, by code. The type image_generation_user_error also carries parameter errors. */
const POLICY_CODES = new Set([
  'moderation_blocked',
  'content_policy_violation',
  'image_content_policy_violation',
  'content_filter',
  'bio_policy',
]);
/** OpenAI could not use an image that was sent (ResponseErrorCode and the Images API's codes). */
const IMAGE_CODES = new Set([
  'invalid_image',
  'invalid_image_format',
  'invalid_base64_image',
  'invalid_image_url',
  'image_too_large',
  'image_too_small',
  'image_parse_error',
  'invalid_image_mode',
  'image_file_too_large',
  'unsupported_image_media_type',
  'empty_image_file',
  'failed_to_download_image',
  'image_file_not_found',
]);
const RATE_CODES = new Set(['rate_limit_exceeded', 'too_many_requests']);
const OFFLINE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ECONNRESET',
  'EPIPE',
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
        param: err.param ?? undefined,
        message: apiMessage(err),
        headers: err.headers,
        requestId: err.requestID ?? undefined,
      },
      ctx,
      err,
    );
  }
  const dropped = causeCode(err);
  if (dropped) {
    // The answer had started (a stream) when the connection broke: the service may have billed it.
    return new StudioError({
      kind: 'offline',
      code: dropped,
      message: `The connection to ${ctx.baseURL ?? 'the OpenAI API'} broke while the page was being drawn (${dropped}). Try again.`,
      retryable: true,
      cause: err,
    });
  }
  // Something no one expected (not from the service): not retried by itself, the user decides.
  const message = err instanceof Error ? err.message : String(err);
  return new StudioError({
    kind: 'server',
    message: `Generation failed: ${redactSecrets(message)}. Try again.`,
    retryable: false,
    cause: err,
  });
}

export interface ApiFailure {
  status?: number;
  code?: string;
  type?: string;
  param?: string;
  message?: string;
  headers?: Headers;
  requestId?: string;
}

/**
 * Maps an HTTP error, or an `error` / `response.failed` event inside a stream, by its code
 * first and its status second. The type alone decides nothing: image_generation_user_error
 * covers safety refusals and wrong parameters alike.
 */
export function fromApiFailure(f: ApiFailure, ctx: ErrorContext, cause?: unknown): StudioError {
  const said = f.message ? ` OpenAI said: "${redactSecrets(f.message)}"` : '';
  const named = /`([^`]+)`/.exec(f.message ?? '')?.[1] ?? /model '([^']+)'/.exec(f.message ?? '')?.[1];
  const model = named ?? ctx.model;
  const base = { status: f.status, code: f.code, requestId: f.requestId, model, cause };
  const code = f.code ?? '';
  const fail = (kind: StudioErrorKind, message: string, retryable = false, retryAfterMs?: number) =>
    new StudioError({ ...base, kind, message, retryable, retryAfterMs });
  if (f.status === 401 || code === 'invalid_api_key') {
    return fail(
      'bad-key',
      'OpenAI rejected the API key (401). Paste a valid key in Settings → Comic Studio.',
    );
  }
  if (code === 'model_not_found' || (f.status === 404 && /model/i.test(f.message ?? ''))) {
    return fail(
      'model-not-found',
      `OpenAI no longer offers the model "${model}" to this key (it may have been retired). Switch to a live model; your prompt, photos and versions are kept.`,
    );
  }
  if (f.status === 403) {
    const verify = /verif/i.test(f.message ?? '');
    return fail(
      'no-model-access',
      verify
        ? `OpenAI requires a verified organization to use "${model}". Verify it at platform.openai.com → Settings → Organization (access can take 15 minutes), or choose another model in Settings → Comic Studio.`
        : `This API key may not use the model "${model}".${said} Choose another model in Settings, or enable it for your project on the OpenAI platform.`,
    );
  }
  if (code === 'insufficient_quota' || code === 'billing_hard_limit_reached') {
    return fail(
      'quota',
      `The OpenAI account has no credit left.${said} Add credit or raise the limit in the OpenAI billing settings.`,
    );
  }
  if (f.status === 429 || RATE_CODES.has(code)) {
    const retryAfterMs = retryAfterFromHeaders(f.headers);
    const wait = retryAfterMs ? `; it asked to wait ${Math.ceil(retryAfterMs / 1000)} s` : '';
    return fail(
      'rate-limited',
      `OpenAI is rate limiting this key${wait}. Wait a moment and try again.`,
      true,
      retryAfterMs,
    );
  }
  if (POLICY_CODES.has(code)) {
    return fail(
      'content-policy',
      `OpenAI's safety system refused this request (${code}).${said} Reword the prompt or pick other reference photos.`,
    );
  }
  if (IMAGE_CODES.has(code)) {
    const smaller = code.includes('large')
      ? ' Lower "Reference photos are sent at most" in Settings, or'
      : '';
    return fail(
      'bad-reference',
      `OpenAI could not use one of the images sent (${code}).${said}${smaller} Remove or replace the photo, then generate again.`,
    );
  }
  if (code === 'invalid_input_fidelity_model') {
    return fail(
      'bad-request',
      `"${model}" does not take the input_fidelity setting, and Komorebi sent it.${said} Choose another image model in Settings, or update Komorebi.`,
    );
  }
  if (
    (f.status !== undefined && f.status >= 500) ||
    code === 'server_error' ||
    (f.status === undefined && !code)
  ) {
    return fail(
      'server',
      `OpenAI had a server error${f.status ? ` (${f.status})` : ''}.${said} Try again in a minute.`,
      true,
      retryAfterFromHeaders(f.headers),
    );
  }
  if (f.status === 404) {
    return fail(
      'bad-request',
      `The server at ${ctx.baseURL ?? 'the OpenAI base URL'} has no such endpoint (404). Check the OpenAI base URL in Settings.`,
    );
  }
  const param = f.param ? ` (${f.param})` : '';
  return fail(
    'bad-request',
    `OpenAI refused a setting of this request${param}${f.status ? `, ${f.status}` : ''}.${said} Check the Comic Studio model and size settings.`,
  );
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
