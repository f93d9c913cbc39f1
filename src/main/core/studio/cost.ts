import type { ComicEngineId, ComicQuality, ComicSize, GenerateUsage } from './engine';

/** USD per 1M tokens. Public list prices as known in 2026-11; the user can override per model. */
export interface ModelPrice {
  textInput: number;
  imageInput?: number;
  /** Text output (chat models) or image output (GPT image models). */
  output: number;
}

/** Data, not code: extend or override it from Settings when OpenAI changes prices. */
export const PRICE_TABLE: Record<string, ModelPrice> = {
  'gpt-4o': { textInput: 2.5, imageInput: 2.5, output: 10 },
  'gpt-4.1': { textInput: 2, imageInput: 2, output: 8 },
  'gpt-image-1': { textInput: 5, imageInput: 10, output: 40 },
  'gpt-image-1-mini': { textInput: 2, imageInput: 2.5, output: 8 },
  'gpt-image-1.5': { textInput: 5, imageInput: 8, output: 32 },
};

/** Output tokens of one image by quality and size (OpenAI's published table for GPT image models). */
const IMAGE_OUTPUT_TOKENS: Record<'low' | 'medium' | 'high', { square: number; tall: number }> = {
  low: { square: 272, tall: 408 },
  medium: { square: 1056, tall: 1584 },
  high: { square: 4160, tall: 6240 },
};

export interface CostEstimate {
  /** Always 'estimate': prices change and OpenAI's bill is the truth. */
  label: 'estimate';
  /** Null when a model has no price in the table. */
  usd: number | null;
  note: string;
}

export interface CostInput {
  engine: ComicEngineId;
  /** The model setting (gpt-4o for Responses, gpt-image-1 for Images). */
  model: string;
  /** Responses only: the image_generation tool's model. Default gpt-image-1. */
  imageModel?: string;
  quality: ComicQuality;
  size: ComicSize;
  n: number;
  /** Measured usage after a generation; omit for a before-you-press-Generate estimate. */
  usage?: GenerateUsage;
  prices?: Record<string, ModelPrice>;
}

const perM = (tokens: number, usdPerM: number) => (tokens * usdPerM) / 1_000_000;

/** Dated model names ("gpt-4o-2024-11-20") cost what their family costs. */
function priceFor(model: string, table: Record<string, ModelPrice>): ModelPrice | undefined {
  if (table[model]) return table[model];
  const family = Object.keys(table)
    .filter((k) => model.startsWith(`${k}-`))
    .sort((a, b) => b.length - a.length)[0];
  return family ? table[family] : undefined;
}

export function imageOutputTokens(quality: ComicQuality, size: ComicSize): number {
  const q = quality === 'auto' ? 'medium' : quality;
  const square = size === '1024x1024' || size === 'auto';
  return IMAGE_OUTPUT_TOKENS[q][square ? 'square' : 'tall'];
}

/**
 * Estimates what a generation costs. With usage, token counts are what the API reported;
 * without, only the images' output is counted (reference photos add input tokens).
 */
export function estimateCost(input: CostInput): CostEstimate {
  const table = { ...PRICE_TABLE, ...input.prices };
  const imageModel = input.engine === 'openai-images' ? input.model : (input.imageModel ?? 'gpt-image-1');
  const imagePrice = priceFor(imageModel, table);
  const chatPrice = input.engine === 'openai-responses' ? priceFor(input.model, table) : undefined;
  if (!imagePrice || (input.engine === 'openai-responses' && !chatPrice)) {
    const missing = !imagePrice ? imageModel : input.model;
    return {
      label: 'estimate',
      usd: null,
      note: `No price known for "${missing}"; add it to the price table.`,
    };
  }
  const imagesOut = perM(imageOutputTokens(input.quality, input.size) * input.n, imagePrice.output);
  const u = input.usage;
  if (input.engine === 'openai-images') {
    if (!u)
      return { label: 'estimate', usd: imagesOut, note: 'Images only; reference photos add input tokens.' };
    const imageIn = u.imageTokens ?? 0;
    const usd =
      perM(u.inputTokens - imageIn, imagePrice.textInput) +
      perM(imageIn, imagePrice.imageInput ?? imagePrice.textInput) +
      perM(u.outputTokens, imagePrice.output);
    return { label: 'estimate', usd, note: `From reported token usage at ${imageModel} list prices.` };
  }
  // Responses: usage counts the chat model's tokens; the image tool bills its images separately.
  const chat =
    u && chatPrice ? perM(u.inputTokens, chatPrice.textInput) + perM(u.outputTokens, chatPrice.output) : 0;
  return {
    label: 'estimate',
    usd: chat + imagesOut,
    note: u
      ? `${input.model} tokens as reported, plus ${input.n} ${imageModel} image(s) at list price.`
      : `${input.n} ${imageModel} image(s) at list price; the conversation and reference photos add input tokens.`,
  };
}
