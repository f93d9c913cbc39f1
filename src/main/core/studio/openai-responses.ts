import type OpenAI from 'openai';
import type {
  ResponseCreateParamsStreaming,
  ResponseInputContent,
  Tool,
} from 'openai/resources/responses/responses';
import { attempt, inOrder, lazyClient, resolvedBaseURL } from './attempt';
import {
  addUsage,
  type ComicEngine,
  type GenerateRequest,
  type GenerateResult,
  type GenerateUsage,
  NO_USAGE,
  type OpenAIEngineConfig,
  supportsInputFidelity,
} from './engine';
import { type ErrorContext, fromApiFailure, StudioError } from './errors';
import { toDataUrl } from './references';
import { withRetry } from './retry';

export const DEFAULT_RESPONSES_MODEL = 'gpt-4o';

interface OneImage {
  image: Buffer;
  responseId: string;
  usage?: GenerateUsage;
  model: string;
}

/**
 * GPT-4o (or another mainline model) with the hosted image_generation tool. Multi-turn:
 * a refinement continues from `previous_response_id`, so the model keeps the references and
 * the earlier page in context. Partial images stream as the page is drawn.
 */
export function createResponsesEngine(cfg: OpenAIEngineConfig): ComicEngine {
  const model = cfg.model ?? DEFAULT_RESPONSES_MODEL;
  const clientFor = lazyClient(cfg);

  return {
    id: 'openai-responses',
    model,
    async generate(req: GenerateRequest): Promise<GenerateResult> {
      const sdk = clientFor();
      const n = Math.max(1, Math.min(10, Math.floor(req.n)));
      // A failed variation stops the others rather than letting them run (and bill) unseen.
      const stopOthers = new AbortController();
      const signal = AbortSignal.any([req.signal, stopOthers.signal]);
      try {
        const results = await inOrder(n, cfg.concurrency ?? 2, (index) =>
          withRetry(() => attempt(cfg, model, signal, (s) => streamOne(sdk, cfg, model, req, index, s)), {
            ...cfg.retry,
            signal,
            onRetry: req.onRetry,
          }),
        );
        return {
          images: results.map((r) => r.image),
          responseId: results[0]?.responseId,
          responseIds: results.map((r) => r.responseId),
          usage: results.reduce((u, r) => addUsage(u, r.usage), NO_USAGE),
          model: results[0]?.model ?? model,
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
  req: Pick<GenerateRequest, 'prompt' | 'references' | 'size' | 'quality' | 'previous'>,
): ResponseCreateParamsStreaming {
  const content: ResponseInputContent[] = [{ type: 'input_text', text: req.prompt }];
  const continuing = Boolean(req.previous?.responseId);
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
  const tool: Tool.ImageGeneration = {
    type: 'image_generation',
    size: req.size,
    quality: req.quality,
    output_format: 'png',
    partial_images: Math.max(0, Math.min(3, cfg.partialImages ?? 2)),
  };
  if (cfg.imageModel) tool.model = cfg.imageModel;
  const imageModel = cfg.imageModel ?? 'gpt-image-1';
  if (supportsInputFidelity(imageModel) && req.references.length > 0 && !continuing) {
    tool.input_fidelity = cfg.inputFidelity ?? 'high';
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
            throw new StudioError({
              kind: 'server',
              message: 'OpenAI could not finish drawing the page. Try again.',
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
        const u = event.response.usage;
        if (u)
          usage = { inputTokens: u.input_tokens, outputTokens: u.output_tokens, totalTokens: u.total_tokens };
        break;
      }
      case 'response.failed':
        throw fromApiFailure(
          {
            code: event.response.error?.code,
            message: event.response.error?.message ?? 'The response failed.',
          },
          ctx,
        );
      case 'response.incomplete':
        throw new StudioError({
          kind: 'no-image',
          message: `OpenAI stopped before finishing the page (${event.response.incomplete_details?.reason ?? 'incomplete'}). Try again.`,
          retryable: true,
        });
      case 'error':
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
