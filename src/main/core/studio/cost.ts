/**
 * What a generation costs, estimated from the catalog's price of each model family and the
 * tokens OpenAI reported. gpt-image models are billed by tokens: text input, image input and
 * image output at their own rates. A model without a price gives `usd: null` ("unknown"),
 * never another model's figure.
 */
import type { ComicEngineId, ComicQuality, ComicSize, GenerateUsage } from './engine';
import {
  IMAGE_OUTPUT_TOKENS_1024,
  type ImagePrice,
  imageFamilyOf,
  type MainPrice,
  mainFamilyOf,
  PARTIAL_IMAGE_TOKENS,
} from './models/catalog';

export interface CostEstimate {
  /** Always 'estimate': prices change and OpenAI's bill is the truth. */
  label: 'estimate';
  /** Null when a model has no price, or its image tokens cannot be estimated. */
  usd: number | null;
  note: string;
}

export interface CostInput {
  engine: ComicEngineId;
  /** The main model (Responses) or the image model (Images). */
  model: string;
  /** Responses only: the image_generation tool's model. */
  imageModel?: string;
  quality: ComicQuality;
  size: ComicSize;
  n: number;
  /** Partial images streamed per page (each adds image output tokens). */
  partialImages?: number;
  /** Measured usage after a generation; omit for a before-you-press-Generate estimate. */
  usage?: GenerateUsage;
  /** Overrides of the catalog's prices, by model id. */
  prices?: { image?: Record<string, ImagePrice>; main?: Record<string, MainPrice> };
}

const perM = (tokens: number, usdPerM: number) => (tokens * usdPerM) / 1_000_000;

/**
 * Output tokens of one image: OpenAI's figures for 1024x1024, scaled by the page's pixels.
 * Null for a quality without a published figure (xhigh, max) or an unknown size.
 */
export function imageOutputTokens(quality: ComicQuality, size: ComicSize): number | null {
  const perSquare = IMAGE_OUTPUT_TOKENS_1024[quality === 'auto' ? 'medium' : quality];
  if (perSquare === undefined) return null;
  const m = /^(\d+)x(\d+)$/.exec(size);
  const pixels = m ? Number(m[1]) * Number(m[2]) : 1024 * 1024;
  return Math.round((perSquare * pixels) / (1024 * 1024));
}

function unknown(model: string): CostEstimate {
  return { label: 'estimate', usd: null, note: `No price known for "${model}": the cost is unknown.` };
}

export function estimateCost(input: CostInput): CostEstimate {
  const imageModel = input.engine === 'openai-images' ? input.model : input.imageModel;
  const imagePrice = imageModel
    ? (input.prices?.image?.[imageModel] ?? imageFamilyOf(imageModel)?.price ?? undefined)
    : undefined;
  if (!imagePrice) return unknown(imageModel ?? 'the service default image model');
  const perImage = imageOutputTokens(input.quality, input.size);
  const partials = (input.partialImages ?? 0) * PARTIAL_IMAGE_TOKENS;
  const u = input.usage;
  if (input.engine === 'openai-images') {
    if (!u) {
      if (perImage === null)
        return {
          ...unknown(imageModel!),
          note: `No token figure for ${input.quality} quality: the cost is unknown until drawn.`,
        };
      return {
        label: 'estimate',
        usd: perM((perImage + partials) * input.n, imagePrice.imageOutput),
        note: 'Images only; reference photos add input tokens.',
      };
    }
    const imageIn = u.imageTokens ?? 0;
    const usd =
      perM(u.inputTokens - imageIn, imagePrice.textInput) +
      perM(imageIn, imagePrice.imageInput) +
      perM(u.outputTokens, imagePrice.imageOutput);
    return { label: 'estimate', usd, note: `From the tokens OpenAI reported, at ${imageModel} prices.` };
  }
  const mainPrice = input.prices?.main?.[input.model] ?? mainFamilyOf(input.model)?.price ?? undefined;
  if (!mainPrice) return unknown(input.model);
  if (perImage === null) {
    return {
      label: 'estimate',
      usd: null,
      note: `No token figure for ${input.quality} quality: the image cost is unknown.`,
    };
  }
  // The main model's tokens are reported; the tool's image tokens are not, so they are estimated.
  const chat = u ? perM(u.inputTokens, mainPrice.input) + perM(u.outputTokens, mainPrice.output) : 0;
  const images = perM((perImage + partials) * input.n, imagePrice.imageOutput);
  return {
    label: 'estimate',
    usd: chat + images,
    note: u
      ? `${input.model} tokens as reported, plus ${input.n} ${imageModel} image(s) at its image output price.`
      : `${input.n} ${imageModel} image(s); the conversation and reference photos add input tokens.`,
  };
}
