import type OpenAI from 'openai';
import { toFile } from 'openai';
import type {
  ImageEditParamsBase,
  ImageEditParamsNonStreaming,
  ImageEditStreamEvent,
} from 'openai/resources/images';
import type { Stream } from 'openai/streaming';
import { attempt, lazyClient, retriedWithUsage } from './attempt';
import type {
  ComicEngine,
  GenerateRequest,
  GenerateResult,
  GenerateUsage,
  OpenAIEngineConfig,
} from './engine';
import { StudioError } from './errors';
import { catalogDefault } from './models/choices';
import { imageParamsFor } from './models/params';
import { referenceFileName } from './references';

/**
 * The Images API edit endpoint with several reference images (multipart `image[]`). It has no
 * conversation: a refinement sends the version being refined as the first image, and a panel
 * redraw adds a `mask`. One variation streams partial images (`stream: true`); several do not,
 * because the partial-image events carry no variation index.
 */
export function createImagesEngine(cfg: OpenAIEngineConfig): ComicEngine {
  const model = cfg.model ?? catalogDefault('image');
  const clientFor = lazyClient(cfg);
  return {
    id: 'openai-images',
    model,
    imageModel: model,
    async generate(req: GenerateRequest): Promise<GenerateResult> {
      const sdk = clientFor();
      const stream = req.n === 1 && req.onPartial !== undefined;
      const params = await buildEditParams(cfg, model, req, stream);
      const { result, usage } = await retriedWithUsage(cfg, req, () =>
        attempt(cfg, model, req.signal, async (signal) => {
          if (!stream)
            return fromResponse(await sdk.images.edit(params as ImageEditParamsNonStreaming, { signal }));
          return fromStream(await sdk.images.edit({ ...params, stream: true }, { signal }), req, signal);
        }),
      );
      if (result.images.length === 0) {
        throw new StudioError({
          kind: 'no-image',
          message: 'OpenAI answered without an image. Try again, or reword the prompt.',
          retryable: true,
          usage,
        });
      }
      return { images: result.images, usage, model, imageModel: model };
    },
  };
}

interface Drawn {
  images: Buffer[];
  usage?: GenerateUsage;
}

function fromResponse(res: OpenAI.ImagesResponse): Drawn {
  const images = (res.data ?? []).flatMap((d) => (d.b64_json ? [Buffer.from(d.b64_json, 'base64')] : []));
  return { images, usage: usageOf(res.usage) };
}

async function fromStream(
  stream: Stream<ImageEditStreamEvent>,
  req: GenerateRequest,
  signal: AbortSignal,
): Promise<Drawn> {
  let drawn: Drawn | undefined;
  for await (const event of stream) {
    if (event.type === 'image_edit.partial_image')
      req.onPartial?.(event.b64_json, 0, event.partial_image_index);
    else if (event.type === 'image_edit.completed') {
      drawn = { images: [Buffer.from(event.b64_json, 'base64')], usage: usageOf(event.usage) };
    }
  }
  // The SDK ends the iteration quietly when the signal aborts: that is a cancel or our time limit.
  if (signal.aborted) throw signal.reason ?? new Error('aborted');
  return drawn ?? { images: [] };
}

async function buildEditParams(
  cfg: OpenAIEngineConfig,
  model: string,
  req: GenerateRequest,
  stream: boolean,
): Promise<ImageEditParamsBase> {
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
  const p = imageParamsFor(model, {
    size: req.size,
    quality: req.quality,
    inputFidelity: req.references.length > 0 ? (cfg.inputFidelity ?? 'high') : undefined,
    partialImages: stream ? (cfg.partialImages ?? 2) : undefined,
  });
  const params: ImageEditParamsBase = {
    model,
    prompt: req.prompt,
    image: files,
    n: Math.max(1, Math.min(10, Math.floor(req.n))),
    output_format: 'png',
  };
  if (p.size) params.size = p.size as ImageEditParamsBase['size'];
  if (p.quality) params.quality = p.quality as ImageEditParamsBase['quality'];
  if (p.input_fidelity) params.input_fidelity = p.input_fidelity;
  if (stream && p.partial_images !== undefined) params.partial_images = p.partial_images;
  if (req.mask) params.mask = await toFile(req.mask, 'mask.png', { type: 'image/png' });
  return params;
}

function usageOf(u: OpenAI.ImagesResponse['usage'] | undefined): GenerateUsage | undefined {
  if (!u) return undefined;
  return {
    inputTokens: u.input_tokens,
    outputTokens: u.output_tokens,
    totalTokens: u.total_tokens,
    ...(u.input_tokens_details ? { imageTokens: u.input_tokens_details.image_tokens } : {}),
  };
}
