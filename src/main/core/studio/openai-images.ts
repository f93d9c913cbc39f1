import type OpenAI from 'openai';
import { toFile } from 'openai';
import type { ImageEditParamsNonStreaming } from 'openai/resources/images';
import { attempt, lazyClient } from './attempt';
import {
  type ComicEngine,
  type GenerateRequest,
  type GenerateResult,
  type GenerateUsage,
  type OpenAIEngineConfig,
  supportsInputFidelity,
} from './engine';
import { StudioError } from './errors';
import { referenceFileName } from './references';
import { withRetry } from './retry';

export const DEFAULT_IMAGES_MODEL = 'gpt-image-1';

/**
 * The Images API edit endpoint with several reference images (multipart `image[]`). It has no
 * conversation: a refinement sends the version being refined as the first image.
 */
export function createImagesEngine(cfg: OpenAIEngineConfig): ComicEngine {
  const model = cfg.model ?? DEFAULT_IMAGES_MODEL;
  const clientFor = lazyClient(cfg);
  return {
    id: 'openai-images',
    model,
    async generate(req: GenerateRequest): Promise<GenerateResult> {
      const sdk = clientFor();
      const params = await buildEditParams(cfg, model, req);
      const res = await withRetry(
        () => attempt(cfg, model, req.signal, (signal) => sdk.images.edit(params, { signal })),
        { ...cfg.retry, signal: req.signal, onRetry: req.onRetry },
      );
      const images = (res.data ?? []).flatMap((d) => (d.b64_json ? [Buffer.from(d.b64_json, 'base64')] : []));
      if (images.length === 0) {
        throw new StudioError({
          kind: 'no-image',
          message: 'OpenAI answered without an image. Try again, or reword the prompt.',
          retryable: true,
        });
      }
      return { images, usage: usageOf(res.usage), model };
    },
  };
}

async function buildEditParams(
  cfg: OpenAIEngineConfig,
  model: string,
  req: GenerateRequest,
): Promise<ImageEditParamsNonStreaming> {
  const files = [];
  if (req.previous?.image)
    files.push(await toFile(req.previous.image, 'previous-page.png', { type: 'image/png' }));
  for (const [i, ref] of req.references.entries()) {
    files.push(await toFile(ref.buffer, referenceFileName(ref, i), { type: ref.mime }));
  }
  if (files.length === 0) {
    throw new StudioError({
      kind: 'bad-reference',
      message: 'The Images API needs at least one reference photo. Select photos before making a comic.',
      retryable: false,
    });
  }
  const params: ImageEditParamsNonStreaming = {
    model,
    prompt: req.prompt,
    image: files,
    n: Math.max(1, Math.min(10, Math.floor(req.n))),
    size: req.size,
    quality: req.quality,
    output_format: 'png',
  };
  if (supportsInputFidelity(model)) params.input_fidelity = cfg.inputFidelity ?? 'high';
  return params;
}

function usageOf(u: OpenAI.ImagesResponse['usage']): GenerateUsage {
  if (!u) return { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
  return {
    inputTokens: u.input_tokens,
    outputTokens: u.output_tokens,
    totalTokens: u.total_tokens,
    ...(u.input_tokens_details ? { imageTokens: u.input_tokens_details.image_tokens } : {}),
  };
}
