import type { IncomingMessage } from 'node:http';

/** Failures the fake produces on demand (queue, magic word "FAKE:<name>", or header). */
export type Scenario =
  | 'ok'
  | 'noisy' // a page whose gutters are crossed by artwork (detection must fall back)
  | 'no-gutters' // panels drawn edge to edge
  | '401'
  | '403' // organization verification
  | '404-model'
  | '429' // rate limited (rate_limit_exceeded), with Retry-After
  | '429-busy' // 429 too_many_requests (the service is overloaded)
  | '429-quota' // insufficient_quota
  | '500'
  | 'drop' // the connection is cut before any answer
  | 'drop-stream' // the connection is cut in the middle of a stream
  | 'hang' // never answers
  | 'hang-stream' // sends headers and the first events, then stalls
  | 'policy' // 400 moderation_blocked (type image_generation_user_error)
  | 'param-error' // 400 invalid_value with type image_generation_user_error: not a safety refusal
  | 'image-policy' // image_content_policy_violation
  | 'invalid-image'
  | 'invalid-image-format'
  | 'image-too-large'
  | 'stream-error' // an `error` event mid-stream, the error nested under `error` (as the service sends it)
  | 'stream-error-flat' // the same with code/message at the top (as the description documents it)
  | 'stream-rate-limit' // a mid-stream error event with rate_limit_exceeded
  | 'response-failed' // `response.failed` with error.code server_error (Responses)
  | 'image-call-failed' // an image_generation_call item with status failed (Responses)
  | 'no-image'; // the model answers with text only

export interface ReceivedFile {
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** Parsed JSON body (/v1/responses, /v1/images/generations). */
  json?: Record<string, unknown>;
  /** Parsed multipart fields and files (/v1/images/edits). */
  fields?: Record<string, string[]>;
  files?: ReceivedFile[];
  /** Input images found in the request, decoded (data URLs or uploaded files), in order. */
  images: Buffer[];
  /** The mask sent with an edit (multipart `mask` or the tool's input_image_mask). */
  mask?: Buffer;
  scenario: Scenario;
  status?: number;
  /** What the OpenAPI description says is wrong with the request (empty when it conforms). */
  schemaErrors: string[];
}

/** A model as GET /v1/models lists it. */
export interface FakeModel {
  id: string;
  created: number;
  owned_by: string;
  shutdown_date: string | null;
}

export interface FakeOpenAI {
  /** Base URL to give the SDK, ending in /v1. */
  baseURL: string;
  apiKey: string;
  requests: RecordedRequest[];
  /**
   * Requests that did not conform to OpenAI's OpenAPI description. Test setups assert it is
   * empty after each test, so a request Komorebi builds wrong fails the test that sent it.
   */
  violations: string[];
  /** Queue failures for the next requests; each entry is used once. */
  failNext(...scenarios: Scenario[]): void;
  /** Seconds sent in Retry-After with 429 and 500 answers. Default 1. */
  retryAfterSeconds: number;
  /** The models this key can list and use, by id (today's list by default; tests may edit it). */
  models: Map<string, FakeModel>;
  /** Models that answer 403 until the organization is verified. */
  needsVerification: Set<string>;
  close(): Promise<void>;
}
