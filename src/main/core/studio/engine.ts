import type { ImageQuality } from './models/catalog';
import type { RetryInfo } from './retry';

export { type CostEstimate, estimateCost } from './cost';
export type { RetryInfo } from './retry';

/** A reference photo ready to leave the machine: downscaled, re-encoded, without metadata. */
export interface PreparedReference {
  buffer: Buffer;
  mime: 'image/jpeg' | 'image/png';
  width: number;
  height: number;
}

/** OpenAI's page sizes. gpt-image-2 also takes any "WxH" (multiples of 16), hence the string. */
export type ComicSize = '1024x1024' | '1024x1536' | '1536x1024' | 'auto' | (string & {});
export type ComicQuality = ImageQuality;

export interface GenerateRequest {
  /** The final prompt text (see buildComicPrompt). */
  prompt: string;
  /** Only the photos the user picked, already prepared (see prepareReference). */
  references: PreparedReference[];
  size: ComicSize;
  quality: ComicQuality;
  /** Number of variations, 1..10. */
  n: number;
  /**
   * The version being refined. The Responses engine continues the conversation with
   * `responseId` (references are then already in its context and are not sent again);
   * without one, or with the Images engine, `image` is sent as the first input image.
   */
  previous?: { responseId?: string; image?: Buffer };
  /**
   * Redraw only part of `previous.image`: a PNG of the same size whose transparent pixels mark
   * what may change (Images API `mask`, the tool's `input_image_mask`). The page is then sent
   * as the first image, never as a continued conversation.
   */
  mask?: Buffer;
  signal: AbortSignal;
  /** A partial (preview) image of variation `index`, base64 PNG. */
  onPartial?(b64: string, index: number, partialIndex: number): void;
  /** Called before waiting to retry (rate limit, server error): show "retrying in N s". */
  onRetry?(info: RetryInfo): void;
}

export interface GenerateUsage {
  inputTokens: number;
  outputTokens: number;
  /** Image tokens among the input tokens (the reference photos), when the API reports them. */
  imageTokens?: number;
  totalTokens: number;
}

export interface GenerateResult {
  /** Final images (PNG), one per variation, in order. */
  images: Buffer[];
  /** Response id of the first variation (Responses engine): pass it back to refine. */
  responseId?: string;
  /** Response id of each variation, index-aligned with `images` (Responses engine). */
  responseIds?: string[];
  /** Summed over all variations and attempts that returned usage. */
  usage: GenerateUsage;
  /** The model that answered, as the server named it. */
  model: string;
  /** The image model that drew the pages (the tool's model on the Responses engine), when known. */
  imageModel?: string;
}

export type ComicEngineId = 'openai-responses' | 'openai-images';

/** The port the Studio talks to; one adapter per OpenAI API. */
export interface ComicEngine {
  readonly id: ComicEngineId;
  /** The model it sends: the main model (Responses) or the image model (Images). */
  readonly model: string;
  /** The image model that draws (the tool's model on the Responses engine, when set). */
  readonly imageModel?: string;
  generate(req: GenerateRequest): Promise<GenerateResult>;
}

/** Settings shared by both OpenAI engines. The key comes from the SecretStore, never from a log. */
export interface OpenAIEngineConfig {
  /** Undefined or empty gives a `no-key` StudioError on generate (the SDK's env fallback is not used). */
  apiKey: string | undefined;
  /** OPENAI_BASE_URL or the Settings value; default https://api.openai.com/v1. */
  baseURL?: string;
  /**
   * The main model (Responses) or the image model (Images). Settings resolve it from the
   * models the key can use; without one the catalog's newest known family is used.
   */
  model?: string;
  /** Responses only: the image model the image_generation tool uses (the service's default when unset). */
  imageModel?: string;
  /** Per attempt, in ms. Default 300 000 (a high-quality page can take minutes). */
  timeoutMs?: number;
  retry?: import('./retry').RetryPolicy;
  /** Partial images to stream, 0..3 (Responses, and the Images engine for one variation). Default 2. */
  partialImages?: number;
  /** How closely faces of the references are kept; sent only to models that support it. Default 'high'. */
  inputFidelity?: 'high' | 'low';
  /** Variations run at once when n > 1 on the Responses engine. Default 2. */
  concurrency?: number;
}

export function addUsage(a: GenerateUsage, b: Partial<GenerateUsage> | undefined): GenerateUsage {
  if (!b) return a;
  const imageTokens =
    a.imageTokens === undefined && b.imageTokens === undefined
      ? undefined
      : (a.imageTokens ?? 0) + (b.imageTokens ?? 0);
  return {
    inputTokens: a.inputTokens + (b.inputTokens ?? 0),
    outputTokens: a.outputTokens + (b.outputTokens ?? 0),
    totalTokens: a.totalTokens + (b.totalTokens ?? 0),
    ...(imageTokens === undefined ? {} : { imageTokens }),
  };
}

export const NO_USAGE: GenerateUsage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };

export const DEFAULT_TIMEOUT_MS = 300_000;
