/** POST /v1/images/edits (multipart) and /v1/images/generations (JSON), plain or streamed. */
import type { ServerResponse } from 'node:http';
import { sendError, sendJson } from './errors';
import { drawPage, maskProblem, parseSize, partialOf, rowsFromPrompt } from './pages';
import type { FakeState } from './state';
import { imageParamProblem } from './today';
import type { RecordedRequest } from './types';

/** The fake's image token counts: per input image, and per output image by quality (1024x1024). */
const INPUT_IMAGE_TOKENS = 323;
const OUTPUT_TOKENS: Record<string, number> = { low: 272, medium: 1056, high: 4160, xhigh: 6240, max: 8320 };

export async function answerImages(
  state: FakeState,
  rec: RecordedRequest,
  prompt: string,
  res: ServerResponse,
) {
  const p = rec.json ?? Object.fromEntries(Object.entries(rec.fields ?? {}).map(([k, v]) => [k, v[0]]));
  const model = String(p.model ?? 'gpt-image-1.5');
  const problem = imageParamProblem(model, {
    size: p.size as string | undefined,
    quality: p.quality as string | undefined,
    background: p.background as string | undefined,
    input_fidelity: p.input_fidelity as string | undefined,
  });
  if (problem) return sendError(res, { status: problem.status, error: problem }, rec);
  if (rec.mask) {
    const why = await maskProblem(rec.mask, rec.images[0]);
    if (why)
      return sendError(
        res,
        {
          status: 400,
          error: { message: why, type: 'invalid_request_error', code: 'invalid_image', param: 'mask' },
        },
        rec,
      );
  }
  const n = Number(p.n ?? 1);
  const quality = String(p.quality ?? 'auto');
  const size = String(p.size ?? 'auto');
  const [width, height] = size === 'auto' && rec.images[0] ? await sizeOf(rec.images[0]) : parseSize(size);
  const rows = rowsFromPrompt(prompt) ?? [1];
  // No conversation here: a refinement is recognised by its first image being a page, a panel
  // redraw by its mask (then the whole page comes back in other colours, as a model may repaint).
  const turn = rec.mask ? 5 : rec.files?.some((x) => x.filename.startsWith('previous')) ? 1 : 0;
  rec.status = 200;
  const style = rec.scenario === 'noisy' ? 'noisy' : rec.scenario === 'no-gutters' ? 'no-gutters' : 'clean';
  const pages: Buffer[] = [];
  if (rec.scenario !== 'no-image') {
    for (let i = 0; i < n; i++) pages.push(await drawPage({ width, height, rows, turn, variant: i, style }));
  }
  const partials = Math.max(0, Math.min(3, Number(p.partial_images ?? 0)));
  const imageTokens = rec.images.length * INPUT_IMAGE_TOKENS + (rec.mask ? INPUT_IMAGE_TOKENS : 0);
  const textTokens = Math.ceil(prompt.length / 4);
  // Each partial image costs 100 more image output tokens.
  const outTokens = n * ((OUTPUT_TOKENS[quality] ?? OUTPUT_TOKENS.medium!) + partials * 100);
  const usage = {
    input_tokens: imageTokens + textTokens,
    input_tokens_details: { image_tokens: imageTokens, text_tokens: textTokens },
    output_tokens: outTokens,
    output_tokens_details: { image_tokens: outTokens, text_tokens: 0 },
    total_tokens: imageTokens + textTokens + outTokens,
  };
  const meta = {
    background: 'opaque',
    output_format: 'png',
    quality: quality === 'auto' ? 'medium' : quality,
    size: `${width}x${height}`,
  };
  const created = Math.floor(Date.now() / 1000);
  if (p.stream !== true && p.stream !== 'true') {
    return sendJson(res, 200, {
      created,
      ...meta,
      data: pages.map((pg) => ({ b64_json: pg.toString('base64') })),
      usage,
    });
  }
  const kind = rec.json ? 'image_generation' : 'image_edit';
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  const send = (type: string, data: Record<string, unknown>) =>
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, created_at: created, ...meta, ...data })}\n\n`);
  const page = pages[0];
  if (rec.scenario === 'hang-stream') return state.hang(res);
  for (let i = 0; page && i < partials; i++) {
    send(`${kind}.partial_image`, {
      b64_json: (await partialOf(page, width, i)).toString('base64'),
      partial_image_index: i,
    });
    if (rec.scenario === 'drop-stream') return state.cut(res);
  }
  if (rec.scenario === 'drop-stream') return state.cut(res);
  if (rec.scenario === 'stream-error' || !page) {
    res.write(
      `event: error\ndata: ${JSON.stringify({
        type: 'error',
        error: {
          type: 'server_error',
          code: 'server_error',
          message: 'The image could not be generated.',
          param: null,
        },
      })}\n\n`,
    );
    return res.end();
  }
  send(`${kind}.completed`, { b64_json: page.toString('base64'), usage });
  res.end();
}

async function sizeOf(image: Buffer): Promise<[number, number]> {
  const { default: sharp } = await import('sharp');
  const m = await sharp(image).metadata();
  return [m.width ?? 1024, m.height ?? 1024];
}
