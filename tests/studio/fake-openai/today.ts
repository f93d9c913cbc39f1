/**
 * OpenAI as of 2026-12-01, as the local server plays it. Written from OpenAI's deprecations
 * page, the model pages and the API reference (not from the app's catalog, so that one cannot
 * hide a mistake in the other):
 * - shut down and answering 404 model_not_found: gpt-image-1 (2026-10-23), gpt-image-1.5 and
 *   its snapshot, gpt-image-1-mini, chatgpt-image-latest (2026-12-01), dall-e-2 and dall-e-3;
 * - listed with a shutdown date: gpt-image-2 (2027-02-10), gpt-4o, gpt-4o-mini, gpt-4.1,
 *   gpt-4.1-mini (2027-01-14), gpt-5 and gpt-5-mini (2026-12-11);
 * - gpt-image-2 models always use high input fidelity and refuse `input_fidelity` (400
 *   invalid_input_fidelity_model); they take any WxH in multiples of 16 (long side <= 3840,
 *   ratio <= 3:1, 655,360 to 8,294,400 pixels); gpt-image-2 itself has no transparent
 *   background; only the gpt-image-2.6 family has the quality levels xhigh and max.
 */
import type { FakeModel } from './types';

export const TODAY = '2026-12-01';

const listed: Array<[string, string | null, string]> = [
  ['gpt-image-2', '2027-02-10', 'system'],
  ['gpt-image-2-2026-04-21', '2027-02-10', 'system'],
  ['gpt-image-2.5-sunburst', null, 'system'],
  ['gpt-image-2.5-flare', null, 'system'],
  ['gpt-image-2.6-sunburst', null, 'system'],
  ['gpt-image-2.6-flare', null, 'system'],
  ['gpt-4o', '2027-01-14', 'system'],
  ['gpt-4o-2024-11-20', '2027-01-14', 'system'],
  ['gpt-4o-mini', '2027-01-14', 'system'],
  ['gpt-4.1', '2027-01-14', 'system'],
  ['gpt-4.1-mini', '2027-01-14', 'system'],
  ['gpt-5', '2026-12-11', 'system'],
  ['gpt-5-mini', '2026-12-11', 'system'],
  ['gpt-6-luna', null, 'system'],
  ['gpt-6.1-sol', null, 'system'],
  ['text-embedding-3-large', null, 'system'],
  ['whisper-1', null, 'openai-internal'],
  ['omni-moderation-latest', null, 'system'],
];

export function todaysModels(): Map<string, FakeModel> {
  return new Map(
    listed.map(([id, shutdown, owner], i) => [
      id,
      { id, created: 1_760_000_000 + i * 86_400, owned_by: owner, shutdown_date: shutdown },
    ]),
  );
}

/** Main models that can call the image_generation tool. */
const TOOL_MODELS =
  /^(gpt-4o|gpt-4o-mini|gpt-4\.1|gpt-4\.1-mini|gpt-5|gpt-5-mini|gpt-6-luna|gpt-6\.1-sol)(-\d{4}-\d{2}-\d{2})?$/;

export function takesImageTool(model: string): boolean {
  return TOOL_MODELS.test(model);
}

export function isImageModel(model: string): boolean {
  return /^(gpt-image-|chatgpt-image-|dall-e-)/.test(model);
}

/** What the image_generation tool uses when the request names no model. */
export const TOOL_DEFAULT_IMAGE_MODEL = 'gpt-image-2';

export interface ImageParamProblem {
  status: number;
  type: string;
  code: string;
  param: string;
  message: string;
}

export interface ImageParams {
  size?: string;
  quality?: string;
  background?: string;
  input_fidelity?: string | null;
  /** How the request was made: the tool reports errors as image_generation_user_error. */
  viaTool?: boolean;
}

const FIXED_SIZES = new Set(['1024x1024', '1536x1024', '1024x1536', 'auto']);

/** What the service refuses for this image model, as it would say it; null when all is fine. */
export function imageParamProblem(model: string, p: ImageParams): ImageParamProblem | null {
  const type = p.viaTool ? 'image_generation_user_error' : 'invalid_request_error';
  const gen2 = model.startsWith('gpt-image-2');
  if (gen2 && p.input_fidelity !== undefined && p.input_fidelity !== null) {
    return {
      status: 400,
      type,
      code: 'invalid_input_fidelity_model',
      param: 'input_fidelity',
      message: `input_fidelity is not supported for ${model}: it always processes input images at high fidelity. Remove the parameter.`,
    };
  }
  if (p.size && !sizeAllowed(gen2, p.size)) {
    return {
      status: 400,
      type,
      code: 'invalid_value',
      param: 'size',
      message: `Invalid size '${p.size}' for ${model}.`,
    };
  }
  const qualities = model.startsWith('gpt-image-2.6')
    ? ['low', 'medium', 'high', 'xhigh', 'max', 'auto']
    : ['low', 'medium', 'high', 'auto'];
  if (p.quality && !qualities.includes(p.quality)) {
    return {
      status: 400,
      type,
      code: 'invalid_value',
      param: 'quality',
      message: `Invalid quality '${p.quality}' for ${model}. Supported values are: ${qualities.join(', ')}.`,
    };
  }
  if (p.background === 'transparent' && /^gpt-image-2(-\d{4}-\d{2}-\d{2})?$/.test(model)) {
    return {
      status: 400,
      type,
      code: 'invalid_value',
      param: 'background',
      message: `Transparent backgrounds are not supported for ${model}.`,
    };
  }
  return null;
}

function sizeAllowed(custom: boolean, size: string): boolean {
  if (!custom) return FIXED_SIZES.has(size);
  if (size === 'auto') return true;
  const m = /^(\d+)x(\d+)$/.exec(size);
  if (!m) return false;
  const [w, h] = [Number(m[1]), Number(m[2])];
  const pixels = w * h;
  return (
    w % 16 === 0 &&
    h % 16 === 0 &&
    Math.max(w, h) <= 3840 &&
    Math.max(w, h) / Math.min(w, h) <= 3 &&
    pixels >= 655_360 &&
    pixels <= 8_294_400
  );
}
