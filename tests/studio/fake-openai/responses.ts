/** POST /v1/responses with the image_generation tool: JSON, or Server-Sent Events when streaming. */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { IMAGE_FAILURES, modelNotFound, sendError, sendJson } from './errors';
import { drawPage, maskProblem, parseSize, partialOf, rowsFromPrompt } from './pages';
import type { FakeState } from './state';
import { imageParamProblem, isImageModel, TOOL_DEFAULT_IMAGE_MODEL, takesImageTool } from './today';
import type { RecordedRequest } from './types';

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

export async function answerResponses(
  state: FakeState,
  rec: RecordedRequest,
  prompt: string,
  res: ServerResponse,
) {
  const body = rec.json!;
  const model = String(body.model);
  const tools = (body.tools as Array<Record<string, unknown>>) ?? [];
  const toolIndex = tools.findIndex((t) => t.type === 'image_generation');
  const tool = tools[toolIndex];
  if (tool && !takesImageTool(model)) {
    return sendError(
      res,
      {
        status: 400,
        error: {
          message: `Tool 'image_generation' is not supported with ${model}.`,
          type: 'invalid_request_error',
          code: 'unsupported_tool',
          param: 'tools',
        },
      },
      rec,
    );
  }
  const imageModel = String(tool?.model ?? TOOL_DEFAULT_IMAGE_MODEL);
  if (tool && (!state.fake.models.has(imageModel) || !isImageModel(imageModel))) {
    return sendError(res, modelNotFound(imageModel, `tools[${toolIndex}].model`), rec);
  }
  const problem = tool && imageParamProblem(imageModel, { ...tool, viaTool: true } as never);
  if (problem) return sendError(res, { status: problem.status, error: problem }, rec);
  const mask = tool?.input_image_mask as { image_url?: string } | undefined;
  if (mask?.image_url) {
    rec.mask = Buffer.from(mask.image_url.slice(mask.image_url.indexOf(',') + 1), 'base64');
    const why = await maskProblem(rec.mask, rec.images[0]);
    if (why)
      return sendError(
        res,
        {
          status: 400,
          error: {
            message: why,
            type: 'invalid_request_error',
            code: 'invalid_image',
            param: 'input_image_mask',
          },
        },
        rec,
      );
  }
  const prevId = body.previous_response_id as string | undefined;
  const prev = prevId ? state.stored.get(prevId) : undefined;
  if (prevId && !prev) {
    return sendError(
      res,
      {
        status: 400,
        error: {
          message: `Previous response with id '${prevId}' not found.`,
          type: 'invalid_request_error',
          code: 'previous_response_not_found',
          param: 'previous_response_id',
        },
      },
      rec,
    );
  }
  rec.status = 200;
  const rows = rowsFromPrompt(prompt) ?? prev?.rows ?? [1];
  // A masked edit draws a page of other colours everywhere: the app must keep what is outside the mask itself.
  const turn = prev ? prev.turn + 1 : rec.mask ? 5 : 0;
  const [width, height] = parseSize(String(tool?.size ?? 'auto'));
  const responseId = id('resp');
  const itemId = id('ig');
  state.stored.set(responseId, { turn, rows });
  const inputTokens = Math.ceil(prompt.length / 4) + rec.images.length * 765;
  const usage = {
    input_tokens: inputTokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: 120,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: inputTokens + 120,
  };
  const base = {
    id: responseId,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    model: model.match(/-\d{4}-\d{2}-\d{2}$/) ? model : `${model}-2026-09-22`,
    previous_response_id: prevId ?? null,
    tools: body.tools,
    tool_choice: body.tool_choice,
    parallel_tool_calls: true,
    error: null,
    incomplete_details: null,
    instructions: null,
    metadata: {},
  };
  const s = rec.scenario;
  const page =
    s === 'no-image'
      ? null
      : await drawPage({
          width,
          height,
          rows,
          turn,
          variant: 0,
          style: s === 'noisy' ? 'noisy' : s === 'no-gutters' ? 'no-gutters' : 'clean',
        });
  const item = page
    ? {
        id: itemId,
        type: 'image_generation_call',
        status: 'completed',
        result: page.toString('base64'),
        revised_prompt: prompt.slice(0, 200),
        output_format: 'png',
        quality: tool?.quality ?? 'auto',
        size: tool?.size ?? 'auto',
        background: 'opaque',
      }
    : {
        id: id('msg'),
        type: 'message',
        status: 'completed',
        role: 'assistant',
        content: [
          { type: 'output_text', text: 'I can describe the scene, but I will not draw it.', annotations: [] },
        ],
      };
  if (!body.stream) return sendJson(res, 200, { ...base, status: 'completed', output: [item], usage });

  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-request-id': id('req'),
  });
  let seq = 0;
  const send = (type: string, data: Record<string, unknown>) =>
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...data })}\n\n`);
  const inProgress = { ...base, status: 'in_progress', output: [], usage: null };
  send('response.created', { response: inProgress });
  send('response.in_progress', { response: inProgress });
  switch (s) {
    case 'hang-stream':
      return state.hang(res);
    case 'drop-stream':
      return state.cut(res);
    case 'stream-error':
      // What the service sends (the error nested under `error`), unlike the documented flat shape.
      send('error', {
        error: {
          type: 'server_error',
          code: 'server_error',
          message: 'The server had an error while processing your request.',
          param: null,
        },
      });
      return res.end();
    case 'stream-error-flat':
      send('error', {
        code: 'server_error',
        message: 'The server had an error while processing your request.',
        param: null,
      });
      return res.end();
    case 'stream-rate-limit':
      send('error', {
        error: {
          type: 'requests',
          code: 'rate_limit_exceeded',
          message: `Rate limit reached for ${imageModel} on images per minute.`,
          param: null,
        },
      });
      return res.end();
    default:
      break;
  }
  const failed =
    s === 'response-failed'
      ? { code: 'server_error', message: 'The image could not be generated.' }
      : IMAGE_FAILURES[s];
  if (failed) {
    // response.failed carries error.code, and the usage of what was done so far.
    const error = { code: failed.code, message: failed.message };
    send('response.failed', { response: { ...base, status: 'failed', output: [], usage, error } });
    return res.end();
  }
  if (!page) {
    send('response.output_item.added', {
      output_index: 0,
      item: { ...item, status: 'in_progress', content: [] },
    });
    send('response.output_text.delta', {
      item_id: item.id,
      output_index: 0,
      content_index: 0,
      delta: 'I can describe the scene, but I will not draw it.',
    });
    send('response.output_item.done', { output_index: 0, item });
    send('response.completed', { response: { ...base, status: 'completed', output: [item], usage } });
    return res.end();
  }
  send('response.output_item.added', {
    output_index: 0,
    item: { id: itemId, type: 'image_generation_call', status: 'in_progress', result: null },
  });
  send('response.image_generation_call.in_progress', { output_index: 0, item_id: itemId });
  send('response.image_generation_call.generating', { output_index: 0, item_id: itemId });
  if (s === 'image-call-failed') {
    const failed = { id: itemId, type: 'image_generation_call', status: 'failed', result: null };
    send('response.output_item.done', { output_index: 0, item: failed });
    send('response.completed', { response: { ...base, status: 'completed', output: [failed], usage } });
    return res.end();
  }
  const partials = Math.max(0, Math.min(3, Number(tool?.partial_images ?? 0)));
  for (let i = 0; i < partials; i++) {
    send('response.image_generation_call.partial_image', {
      output_index: 0,
      item_id: itemId,
      partial_image_index: i,
      partial_image_b64: (await partialOf(page, width, i)).toString('base64'),
      output_format: 'png',
      size: tool?.size ?? 'auto',
      quality: tool?.quality ?? 'auto',
      background: 'opaque',
    });
  }
  send('response.image_generation_call.completed', { output_index: 0, item_id: itemId });
  send('response.output_item.done', { output_index: 0, item });
  send('response.completed', { response: { ...base, status: 'completed', output: [item], usage } });
  res.end();
}
