import type OpenAI from 'openai';
import type {
  ResponseCreateParamsStreaming,
  ResponseInputContent,
  Tool,
} from 'openai/resources/responses/responses';
import { attempt, inOrder, lazyClient, resolvedBaseURL, retriedWithUsage } from './attempt';
import {
  addUsage,
  type ComicEngine,
  type GenerateRequest,
  type GenerateResult,
  type GenerateUsage,
  NO_USAGE,
  type OpenAIEngineConfig,
} from './engine';
import { type ErrorContext, fromApiFailure, StudioError } from './errors';
import { catalogDefault } from './models/choices';
import { imageParamsFor } from './models/params';
import { toDataUrl } from './references';

interface OneImage {
  image: Buffer;
  responseId: string;
  usage?: GenerateUsage;
  model: string;
}

/**
 * A main model with the hosted image_generation tool, whose image model is named in every
 * request (never left to the service's default). Multi-turn: a refinement continues from
 * `previous_response_id`, so the model keeps the references and the earlier page in context.
 * Partial images stream as the page is drawn.
 */
export function createResponsesEngine(cfg: OpenAIEngineConfig): ComicEngine {
  const model = cfg.model ?? catalogDefault('main');
  const imageModel = cfg.imageModel ?? catalogDefault('image');
  const config = { ...cfg, imageModel };
  const clientFor = lazyClient(cfg);

  return {
    id: 'openai-responses',
    model,
    imageModel,
    async generate(req: GenerateRequest): Promise<GenerateResult> {
      const sdk = clientFor();
      const n = Math.max(1, Math.min(10, Math.floor(req.n)));
      // A failed variation stops the others rather than letting them run (and bill) unseen.
      const stopOthers = new AbortController();
      const signal = AbortSignal.any([req.signal, stopOthers.signal]);
      try {
        const results = await inOrder(n, cfg.concurrency ?? 2, async (index) => {
          const { result, usage } = await retriedWithUsage(cfg, { signal, onRetry: req.onRetry }, () =>
            attempt(cfg, model, signal, (s) => streamOne(sdk, config, model, req, index, s)),
          );
          return { ...result, usage };
        });
        return {
          images: results.map((r) => r.image),
          responseId: results[0]?.responseId,
          responseIds: results.map((r) => r.responseId),
          usage: results.reduce((u, r) => addUsage(u, r.usage), NO_USAGE),
          model: results[0]?.model ?? model,
          imageModel,
        };
      } catch (err) {
        stopOthers.abort();
        throw err;
      }
    },
  };
}

export function buildResponsesBody(
  cfg: OpenAIEngineConfig,
  model: string,
  req: Pick<GenerateRequest, 'prompt' | 'references' | 'size' | 'quality' | 'previous' | 'mask'>,
): ResponseCreateParamsStreaming {
  const content: ResponseInputContent[] = [{ type: 'input_text', text: req.prompt }];
  // A masked redraw edits the page itself, so the page goes in as an image, not as a conversation.
  const continuing = Boolean(req.previous?.responseId) && !req.mask;
  if (!continuing && req.previous?.image) {
    content.push({
      type: 'input_image',
      detail: 'high',
      image_url: `data:image/png;base64,${req.previous.image.toString('base64')}`,
    });
  }
  // With previous_response_id the references are already in the conversation: do not send them twice.
  if (!continuing) {
    for (const ref of req.references)
      content.push({ type: 'input_image', detail: 'high', image_url: toDataUrl(ref) });
  }
  const p = imageParamsFor(cfg.imageModel, {
    size: req.size,
    quality: req.quality,
    inputFidelity: req.references.length > 0 && !continuing ? (cfg.inputFidelity ?? 'high') : undefined,
    partialImages: cfg.partialImages ?? 2,
  });
  const tool: Tool.ImageGeneration = { type: 'image_generation', output_format: 'png' };
  if (cfg.imageModel) tool.model = cfg.imageModel;
  if (p.size) tool.size = p.size as Tool.ImageGeneration['size'];
  if (p.quality) tool.quality = p.quality as Tool.ImageGeneration['quality'];
  if (p.input_fidelity) tool.input_fidelity = p.input_fidelity;
  if (p.partial_images !== undefined) tool.partial_images = p.partial_images;
  if (req.mask) {
    tool.input_image_mask = { image_url: `data:image/png;base64,${req.mask.toString('base64')}` };
    tool.action = 'edit';
  }
  return {
    model,
    input: [{ role: 'user', content }],
    tools: [tool],
    tool_choice: { type: 'image_generation' },
    ...(continuing ? { previous_response_id: req.previous!.responseId } : {}),
    store: true, // previous_response_id needs the response kept server-side
    stream: true,
  };
}

async function streamOne(
  sdk: OpenAI,
  cfg: OpenAIEngineConfig,
  model: string,
  req: GenerateRequest,
  index: number,
  signal: AbortSignal,
): Promise<OneImage> {
  const ctx: ErrorContext = { model, baseURL: resolvedBaseURL(cfg) };
  const stream = await sdk.responses.create(buildResponsesBody(cfg, model, req), { signal });
  let image: Buffer | undefined;
  let responseId: string | undefined;
  let answeredModel = model;
  let usage: GenerateUsage | undefined;
  let text = '';
  for await (const event of stream) {
    switch (event.type) {
      case 'response.created':
        responseId = event.response.id;
        break;
      case 'response.image_generation_call.partial_image':
        req.onPartial?.(event.partial_image_b64, index, event.partial_image_index);
        break;
      case 'response.output_item.done':
        if (event.item.type === 'image_generation_call') {
          if (event.item.result) image = Buffer.from(event.item.result, 'base64');
          else if (event.item.status === 'failed') {
            // Not retried by itself: the service does not say why, and the attempt may be billed.
            throw new StudioError({
              kind: 'no-image',
              model: cfg.imageModel,
              message: `${cfg.imageModel ?? 'The image model'} could not finish drawing the page. Try again, or change the prompt.`,
              retryable: true,
            });
          }
        }
        break;
      case 'response.output_text.delta':
        text += event.delta;
        break;
      case 'response.completed': {
        responseId = event.response.id;
        answeredModel = event.response.model || model;
        usage = usageOf(event.response.usage);
        break;
      }
      case 'response.failed': {
        const failure = fromApiFailure(
          {
            code: event.response.error?.code,
            message: event.response.error?.message ?? 'The response failed.',
          },
          ctx,
        );
        failure.usage = usageOf(event.response.usage);
        throw failure;
      }
      case 'response.incomplete':
        throw new StudioError({
          kind: 'no-image',
          message: `OpenAI stopped before finishing the page (${event.response.incomplete_details?.reason ?? 'incomplete'}). Try again.`,
          retryable: true,
        });
      case 'error':
        // The documented flat shape; the service's own nested one ({error: {...}}) is thrown by the SDK.
        throw fromApiFailure({ code: event.code ?? undefined, message: event.message }, ctx);
      default:
        break;
    }
  }
  // The SDK ends the iteration quietly when the signal aborts: that is a cancel or our time limit.
  if (signal.aborted) throw signal.reason ?? new Error('aborted');
  if (!image) {
    const said = text.trim() ? ` It said: "${text.trim().slice(0, 300)}"` : '';
    throw new StudioError({
      kind: 'no-image',
      message: `The model answered without drawing a page.${said} Reword the prompt and try again.`,
      retryable: true,
    });
  }
  if (!responseId)
    throw new StudioError({
      kind: 'server',
      message: 'OpenAI sent no response id. Try again.',
      retryable: true,
    });
  return { image, responseId, usage, model: answeredModel };
}

function usageOf(u: OpenAI.Responses.ResponseUsage | null | undefined): GenerateUsage | undefined {
  return u
    ? { inputTokens: u.input_tokens, outputTokens: u.output_tokens, totalTokens: u.total_tokens }
    : undefined;
}
