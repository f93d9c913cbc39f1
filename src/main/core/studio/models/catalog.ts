/**
 * What Komorebi knows about OpenAI's models, as data: per model family, the parameters it takes,
 * its price and its known shutdown date. GET /v1/models says which models a key can use (and
 * their shutdown dates, which win over the ones here); this table says what to send them.
 * A model that is not here gets no optional parameters and an unknown price.
 *
 * Sources, read 2026-12-01 (where a figure comes from a third party, it says so):
 * - OpenAI deprecations page: gpt-image-1 shut down 2026-10-23; gpt-image-1.5 (+ 2025-12-16),
 *   gpt-image-1-mini and chatgpt-image-latest shut down 2026-12-01 (replaced by
 *   gpt-image-2.6-sunburst / -flare); gpt-image-2 shuts down 2027-02-10 (a tracker's reading of
 *   the page, per ENVIRONMENT.md); gpt-4o, gpt-4o-mini, gpt-4.1, gpt-4.1-mini leave 2027-01-14
 *   (replacement gpt-6-luna); gpt-5, gpt-5-mini, gpt-5-nano and o3 leave 2026-12-11.
 * - API reference (images, image_generation tool): input_fidelity only on gpt-image-1 and 1.5
 *   (not mini); gpt-image-2 models always use high fidelity and refuse it; gpt-image-2 sizes
 *   any WxH in multiples of 16, long side <= 3840, ratio <= 3:1, 655,360-8,294,400 pixels;
 *   at most 16 input images of png/webp/jpg under 50 MB; mask PNG under 4 MB; transparent
 *   backgrounds not on gpt-image-2; gpt-image-2.6 adds quality xhigh and max.
 * - Model pages (USD per 1M tokens): gpt-image-1 5/10/40, gpt-image-1-mini 2/2.5/8,
 *   gpt-image-1.5 5/8/32, gpt-image-2.6-sunburst 5/8/30. gpt-image-2, 2.5 and 2.6-flare at the
 *   same 5/8/30 per resellers that state "OpenAI's token rates" (third party).
 *   gpt-6-luna 0.10/0.50 and its image_generation tool support from gateway pages (third party).
 */
export type ImageQuality = 'low' | 'medium' | 'high' | 'xhigh' | 'max' | 'auto';

export type SizeRule =
  | { kind: 'fixed'; sizes: readonly string[] }
  | {
      kind: 'custom';
      multipleOf: number;
      maxEdge: number;
      maxRatio: number;
      minPixels: number;
      maxPixels: number;
    };

/** USD per 1M tokens. */
export interface ImagePrice {
  textInput: number;
  imageInput: number;
  imageOutput: number;
}

export interface MainPrice {
  input: number;
  output: number;
}

export interface ImageFamily {
  /** The model ids of the family; dated snapshots (`<id>-YYYY-MM-DD`) belong to it too. */
  ids: readonly string[];
  /** Release date: the newest live family is the default. */
  released: string;
  inputFidelity: boolean;
  sizes: SizeRule;
  qualities: readonly ImageQuality[];
  transparentBackground: boolean;
  /** Input images per request, the page being refined included. */
  maxInputImages: number;
  maxImageBytes: number;
  inputFormats: readonly ('image/png' | 'image/jpeg' | 'image/webp')[];
  /** stream: true with partial_images (0..maxPartialImages) on the Images API. */
  maxPartialImages: number;
  /** Edits take a mask (Images API `mask`, the tool's `input_image_mask`). */
  mask: boolean;
  price: ImagePrice | null;
  /** Known shutdown date, used when the service's list does not give one. */
  shutdown?: string;
  replacements?: readonly string[];
}

export interface MainFamily {
  ids: readonly string[];
  released: string;
  /** Can call the hosted image_generation tool of the Responses API. */
  imageTool: boolean;
  price: MainPrice | null;
  shutdown?: string;
  replacements?: readonly string[];
}

const FIXED: SizeRule = { kind: 'fixed', sizes: ['1024x1024', '1536x1024', '1024x1536', 'auto'] };
const CUSTOM: SizeRule = {
  kind: 'custom',
  multipleOf: 16,
  maxEdge: 3840,
  maxRatio: 3,
  minPixels: 655_360,
  maxPixels: 8_294_400,
};
const Q4: readonly ImageQuality[] = ['low', 'medium', 'high', 'auto'];
const Q6: readonly ImageQuality[] = ['low', 'medium', 'high', 'xhigh', 'max', 'auto'];
const GPT_IMAGE = {
  maxInputImages: 16,
  maxImageBytes: 50 * 1024 * 1024,
  inputFormats: ['image/png', 'image/jpeg', 'image/webp'] as const,
  maxPartialImages: 3,
  mask: true,
};
const REPLACED_2026_12 = ['gpt-image-2.6-sunburst', 'gpt-image-2.6-flare'];
const TOKENS_2 = { textInput: 5, imageInput: 8, imageOutput: 30 };

export const IMAGE_FAMILIES: readonly ImageFamily[] = [
  {
    // Sunburst first: the base model, for detail and precise edits (faces of the references).
    ids: ['gpt-image-2.6-sunburst', 'gpt-image-2.6-flare'],
    released: '2026-11-04',
    inputFidelity: false,
    sizes: CUSTOM,
    qualities: Q6,
    transparentBackground: true,
    ...GPT_IMAGE,
    price: TOKENS_2,
  },
  {
    ids: ['gpt-image-2.5-sunburst', 'gpt-image-2.5-flare'],
    released: '2026-09-08',
    inputFidelity: false,
    sizes: CUSTOM,
    qualities: Q4,
    transparentBackground: true,
    ...GPT_IMAGE,
    price: TOKENS_2,
  },
  {
    ids: ['gpt-image-2'],
    released: '2026-04-21',
    inputFidelity: false,
    sizes: CUSTOM,
    qualities: Q4,
    transparentBackground: false,
    ...GPT_IMAGE,
    price: TOKENS_2,
    shutdown: '2027-02-10',
    replacements: ['gpt-image-2.6-flare', 'gpt-image-2.6-sunburst'],
  },
  {
    ids: ['gpt-image-1.5'],
    released: '2025-12-16',
    inputFidelity: true,
    sizes: FIXED,
    qualities: Q4,
    transparentBackground: true,
    ...GPT_IMAGE,
    price: { textInput: 5, imageInput: 8, imageOutput: 32 },
    shutdown: '2026-12-01',
    replacements: REPLACED_2026_12,
  },
  {
    ids: ['chatgpt-image-latest'],
    released: '2025-12-16',
    inputFidelity: false,
    sizes: FIXED,
    qualities: Q4,
    transparentBackground: true,
    ...GPT_IMAGE,
    price: null,
    shutdown: '2026-12-01',
    replacements: REPLACED_2026_12,
  },
  {
    ids: ['gpt-image-1-mini'],
    released: '2025-10-06',
    inputFidelity: false,
    sizes: FIXED,
    qualities: Q4,
    transparentBackground: true,
    ...GPT_IMAGE,
    price: { textInput: 2, imageInput: 2.5, imageOutput: 8 },
    shutdown: '2026-12-01',
    replacements: REPLACED_2026_12,
  },
  {
    ids: ['gpt-image-1'],
    released: '2025-04-23',
    inputFidelity: true,
    sizes: FIXED,
    qualities: Q4,
    transparentBackground: true,
    ...GPT_IMAGE,
    price: { textInput: 5, imageInput: 10, imageOutput: 40 },
    shutdown: '2026-10-23',
    replacements: ['gpt-image-2.5-sunburst', ...REPLACED_2026_12],
  },
];

const LEAVES_2027_01 = { shutdown: '2027-01-14', replacements: ['gpt-6-luna'] };
const LEAVES_2026_12 = { shutdown: '2026-12-11', replacements: ['gpt-6-luna'] };

export const MAIN_FAMILIES: readonly MainFamily[] = [
  { ids: ['gpt-6-luna'], released: '2026-09-22', imageTool: true, price: { input: 0.1, output: 0.5 } },
  {
    ids: ['gpt-5'],
    released: '2025-08-07',
    imageTool: true,
    price: { input: 1.25, output: 10 },
    ...LEAVES_2026_12,
  },
  {
    ids: ['gpt-5-mini'],
    released: '2025-08-07',
    imageTool: true,
    price: { input: 0.25, output: 2 },
    ...LEAVES_2026_12,
  },
  {
    ids: ['gpt-5-nano'],
    released: '2025-08-07',
    imageTool: true,
    price: { input: 0.05, output: 0.4 },
    ...LEAVES_2026_12,
  },
  { ids: ['o3'], released: '2025-04-16', imageTool: true, price: { input: 2, output: 8 }, ...LEAVES_2026_12 },
  {
    ids: ['gpt-4.1'],
    released: '2025-04-14',
    imageTool: true,
    price: { input: 2, output: 8 },
    ...LEAVES_2027_01,
  },
  {
    ids: ['gpt-4.1-mini'],
    released: '2025-04-14',
    imageTool: true,
    price: { input: 0.4, output: 1.6 },
    ...LEAVES_2027_01,
  },
  { ids: ['gpt-4.1-nano'], released: '2025-04-14', imageTool: true, price: { input: 0.1, output: 0.4 } },
  {
    ids: ['gpt-4o'],
    released: '2024-05-13',
    imageTool: true,
    price: { input: 2.5, output: 10 },
    ...LEAVES_2027_01,
  },
  {
    ids: ['gpt-4o-mini'],
    released: '2024-07-18',
    imageTool: true,
    price: { input: 0.15, output: 0.6 },
    ...LEAVES_2027_01,
  },
];

/**
 * Image output tokens of one 1024x1024 image by quality, OpenAI's published figures for GPT
 * image models; other sizes scale with their pixel count. Used to estimate what the
 * Responses engine's tool draws (its tokens are not reported) and before Generate is pressed.
 * Each streamed partial image adds PARTIAL_IMAGE_TOKENS.
 */
export const IMAGE_OUTPUT_TOKENS_1024: Partial<Record<ImageQuality, number>> = {
  low: 272,
  medium: 1056,
  high: 4160,
};
export const PARTIAL_IMAGE_TOKENS = 100;

const DATED = /-\d{4}-\d{2}-\d{2}$/;

function findFamily<F extends { ids: readonly string[] }>(
  families: readonly F[],
  model: string,
): F | undefined {
  const base = model.replace(DATED, '');
  return families.find((f) => f.ids.includes(model) || f.ids.includes(base));
}

/** The image family of a model id (exact, or a dated snapshot of one); undefined when unknown. */
export function imageFamilyOf(model: string): ImageFamily | undefined {
  return findFamily(IMAGE_FAMILIES, model);
}

export function mainFamilyOf(model: string): MainFamily | undefined {
  return findFamily(MAIN_FAMILIES, model);
}

/** Looks like an image model (gpt-image family), known to the table or not. */
export function isImageModelName(model: string): boolean {
  return /^(gpt-image-|chatgpt-image-)/.test(model);
}
