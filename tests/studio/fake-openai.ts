/**
 * A local stand-in for the OpenAI API that speaks its wire protocol: POST /v1/responses
 * (JSON, or Server-Sent Events with `stream: true`) and POST /v1/images/edits
 * (multipart/form-data). It records every request, draws real comic pages with sharp
 * (panels with white gutters in the layout the prompt asks for, colours changing per turn),
 * and answers with any of OpenAI's failures on demand:
 *   - fake.failNext(scenario, ...) queues failures for the next requests (then it succeeds), or
 *   - a magic word "FAKE:<scenario>" in the prompt, or an `x-fake-scenario` header, or
 *   - from another process: POST /__fake/fail-next {"scenarios": [...]}; GET /__fake/requests
 *     lists what was received; POST /__fake/reset clears both.
 * Run alone (end-to-end tests): `npx tsx tests/studio/fake-openai.ts [port] [api-key]` prints
 * its base URL and key on stdout.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';

export type Scenario =
  | 'ok'
  | 'noisy' // a page whose gutters are crossed by artwork (detection must fall back)
  | 'no-gutters' // panels drawn edge to edge
  | '401'
  | '403'
  | '404-model'
  | '429' // rate limited, with Retry-After
  | '429-quota' // insufficient_quota
  | '500'
  | 'hang' // never answers
  | 'hang-stream' // sends headers and the first events, then stalls
  | 'policy' // moderation_blocked
  | 'stream-error' // an `error` event in the middle of the stream
  | 'no-image'; // the model answers with text only

export interface ReceivedFile {
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** Parsed JSON body (/v1/responses). */
  json?: Record<string, unknown>;
  /** Parsed multipart fields and files (/v1/images/edits). */
  fields?: Record<string, string[]>;
  files?: ReceivedFile[];
  /** Input images found in the request, decoded (data URLs or uploaded files). */
  images: Buffer[];
  scenario: Scenario;
  status?: number;
}

export interface FakeOpenAI {
  /** Base URL to give the SDK, ending in /v1. */
  baseURL: string;
  apiKey: string;
  requests: RecordedRequest[];
  /** Queue failures for the next requests; each entry is used once. */
  failNext(...scenarios: Scenario[]): void;
  /** Seconds sent in Retry-After with 429 and 500 answers. Default 1. */
  retryAfterSeconds: number;
  /** Model names the key may use; others answer 404 model_not_found. */
  models: Set<string>;
  close(): Promise<void>;
}

interface StoredResponse {
  turn: number;
  rows: number[];
}

interface PageSpec {
  width: number;
  height: number;
  rows: number[];
  turn: number;
  variant: number;
  style: 'clean' | 'noisy' | 'no-gutters';
}

const DEFAULT_MODELS = ['gpt-4o', 'gpt-4.1', 'gpt-image-1', 'gpt-image-1-mini', 'gpt-image-1.5'];

export async function startFakeOpenAI(opts: { apiKey?: string; port?: number } = {}): Promise<FakeOpenAI> {
  const apiKey = opts.apiKey ?? `sk-test-${randomBytes(8).toString('hex')}`;
  const queue: Scenario[] = [];
  const stored = new Map<string, StoredResponse>();
  const hanging = new Set<ServerResponse>();
  const fake: FakeOpenAI = {
    baseURL: '',
    apiKey,
    requests: [],
    retryAfterSeconds: 1,
    models: new Set(DEFAULT_MODELS),
    failNext: (...s) => queue.push(...s),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) sendError(res, 500, { message: String(err), type: 'server_error', code: null });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const body = await readBody(req);
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (path.startsWith('/__fake/')) return control(req.method ?? '', path, body, res);
    const rec: RecordedRequest = {
      method: req.method ?? '',
      path,
      headers: req.headers,
      images: [],
      scenario: 'ok',
    };
    fake.requests.push(rec);
    let prompt = '';
    if (req.method === 'GET' && path.startsWith('/v1/models/')) {
      return answerModel(decodeURIComponent(path.slice('/v1/models/'.length)), req, res, rec);
    }
    if (path === '/v1/responses') {
      rec.json = JSON.parse(body.toString('utf8'));
      const parsed = parseResponsesInput(rec.json!);
      prompt = parsed.prompt;
      rec.images = parsed.images;
    } else if (path === '/v1/images/edits') {
      const form = await new Response(new Uint8Array(body), {
        headers: { 'content-type': req.headers['content-type'] ?? '' },
      }).formData();
      rec.fields = {};
      rec.files = [];
      for (const [field, value] of form.entries()) {
        if (typeof value === 'string') rec.fields[field] = [...(rec.fields[field] ?? []), value];
        else {
          const data = Buffer.from(await value.arrayBuffer());
          rec.files.push({ field, filename: value.name, contentType: value.type, data });
        }
      }
      prompt = rec.fields.prompt?.[0] ?? '';
      rec.images = rec.files.filter((f) => f.field === 'image[]' || f.field === 'image').map((f) => f.data);
    } else {
      return sendError(
        res,
        404,
        { message: `Invalid URL (${req.method} ${path})`, type: 'invalid_request_error', code: null },
        rec,
      );
    }
    rec.scenario = chooseScenario(req, prompt);

    // Authentication and model access come first, as on the real service.
    if (req.headers.authorization !== `Bearer ${apiKey}` || rec.scenario === '401') {
      const shown = String(req.headers.authorization ?? '').replace(/^Bearer\s+/, '');
      return sendError(
        res,
        401,
        {
          message: `Incorrect API key provided: ${shown.slice(0, 6)}***${shown.slice(-4)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
          type: 'invalid_request_error',
          code: 'invalid_api_key',
        },
        rec,
      );
    }
    const model =
      path === '/v1/responses' ? String(rec.json!.model) : (rec.fields!.model?.[0] ?? 'gpt-image-1.5');
    if (!fake.models.has(model) || rec.scenario === '404-model') {
      return sendError(
        res,
        404,
        {
          message: `The model \`${model}\` does not exist or you do not have access to it.`,
          type: 'invalid_request_error',
          code: 'model_not_found',
        },
        rec,
      );
    }
    switch (rec.scenario) {
      case '403':
        return sendError(
          res,
          403,
          {
            message: `Your organization must be verified to use the model \`${model}\`.`,
            type: 'invalid_request_error',
            code: null,
          },
          rec,
        );
      case '429':
        return sendError(
          res,
          429,
          {
            message: `Rate limit reached for ${model} on requests per min (RPM): Limit 5, Used 5, Requested 1.`,
            type: 'requests',
            code: 'rate_limit_exceeded',
          },
          rec,
          { 'retry-after': String(fake.retryAfterSeconds) },
        );
      case '429-quota':
        return sendError(
          res,
          429,
          {
            message: 'You exceeded your current quota, please check your plan and billing details.',
            type: 'insufficient_quota',
            code: 'insufficient_quota',
          },
          rec,
        );
      case '500':
        return sendError(
          res,
          500,
          {
            message: 'The server had an error while processing your request.',
            type: 'server_error',
            code: null,
          },
          rec,
          { 'retry-after': String(fake.retryAfterSeconds) },
        );
      case 'policy':
        return sendError(
          res,
          400,
          {
            message: 'Your request was rejected by the safety system. safety_violations=[violence].',
            type: 'image_generation_user_error',
            code: 'moderation_blocked',
          },
          rec,
        );
      case 'hang':
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      default:
        break;
    }
    rec.status = 200;
    if (path === '/v1/responses') return answerResponses(rec, prompt, res);
    return answerImagesEdit(rec, prompt, res);
  }

  function answerModel(model: string, req: IncomingMessage, res: ServerResponse, rec: RecordedRequest) {
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      return sendError(
        res,
        401,
        { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' },
        rec,
      );
    }
    if (!fake.models.has(model)) {
      return sendError(
        res,
        404,
        {
          message: `The model \`${model}\` does not exist or you do not have access to it.`,
          type: 'invalid_request_error',
          code: 'model_not_found',
        },
        rec,
      );
    }
    rec.status = 200;
    return sendJson(res, 200, { id: model, object: 'model', created: 1_700_000_000, owned_by: 'system' });
  }

  function control(method: string, path: string, body: Buffer, res: ServerResponse) {
    if (method === 'POST' && path === '/__fake/fail-next') {
      const { scenarios } = JSON.parse(body.toString('utf8') || '{}') as { scenarios?: Scenario[] };
      queue.push(...(scenarios ?? []));
      return sendJson(res, 200, { queued: queue.length });
    }
    if (method === 'POST' && path === '/__fake/reset') {
      queue.length = 0;
      fake.requests.length = 0;
      return sendJson(res, 200, { ok: true });
    }
    if (method === 'GET' && path === '/__fake/requests') {
      const summary = fake.requests.map((r) => ({
        method: r.method,
        path: r.path,
        scenario: r.scenario,
        status: r.status,
        model: r.json?.model ?? r.fields?.model?.[0],
        previousResponseId: r.json?.previous_response_id,
        imageCount: r.images.length,
      }));
      return sendJson(res, 200, summary);
    }
    return sendJson(res, 404, { error: 'unknown control endpoint' });
  }

  function chooseScenario(req: IncomingMessage, prompt: string): Scenario {
    const fromQueue = queue.shift();
    if (fromQueue) return fromQueue;
    const header = req.headers['x-fake-scenario'];
    if (typeof header === 'string') return header as Scenario;
    const magic = /FAKE:([a-z0-9-]+)/.exec(prompt);
    return (magic?.[1] as Scenario | undefined) ?? 'ok';
  }

  async function answerResponses(rec: RecordedRequest, prompt: string, res: ServerResponse) {
    const body = rec.json!;
    const tool = ((body.tools as Array<Record<string, unknown>>) ?? []).find(
      (t) => t.type === 'image_generation',
    );
    const prevId = body.previous_response_id as string | undefined;
    const prev = prevId ? stored.get(prevId) : undefined;
    if (prevId && !prev) {
      return sendError(
        res,
        400,
        {
          message: `Previous response with id '${prevId}' not found.`,
          type: 'invalid_request_error',
          code: 'previous_response_not_found',
          param: 'previous_response_id',
        },
        rec,
      );
    }
    const rows = rowsFromPrompt(prompt) ?? prev?.rows ?? [1];
    const turn = prev ? prev.turn + 1 : 0;
    const [width, height] = parseSize(String(tool?.size ?? 'auto'));
    const responseId = `resp_${randomBytes(12).toString('hex')}`;
    const itemId = `ig_${randomBytes(12).toString('hex')}`;
    stored.set(responseId, { turn, rows });
    const usage = {
      input_tokens: Math.ceil(prompt.length / 4) + rec.images.length * 765,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 120,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: Math.ceil(prompt.length / 4) + rec.images.length * 765 + 120,
    };
    const base = {
      id: responseId,
      object: 'response',
      created_at: Math.floor(Date.now() / 1000),
      model: `${String(body.model)}-2024-11-20`,
      previous_response_id: prevId ?? null,
      tools: body.tools,
      tool_choice: body.tool_choice,
      parallel_tool_calls: true,
      temperature: 1,
      top_p: 1,
      error: null,
      incomplete_details: null,
      instructions: null,
      metadata: {},
    };
    const noImage = rec.scenario === 'no-image';
    const page = noImage
      ? null
      : await drawPage({ width, height, rows, turn, variant: 0, style: pageStyle(rec.scenario) });
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
          id: `msg_${randomBytes(8).toString('hex')}`,
          type: 'message',
          status: 'completed',
          role: 'assistant',
          content: [
            {
              type: 'output_text',
              text: 'I can describe the scene, but I will not draw it.',
              annotations: [],
            },
          ],
        };

    if (!body.stream) {
      return sendJson(res, 200, { ...base, status: 'completed', output: [item], usage });
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-request-id': `req_${randomBytes(8).toString('hex')}`,
    });
    let seq = 0;
    const send = (type: string, data: Record<string, unknown>) =>
      res.write(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...data })}\n\n`);
    send('response.created', { response: { ...base, status: 'in_progress', output: [], usage: null } });
    send('response.in_progress', { response: { ...base, status: 'in_progress', output: [], usage: null } });
    if (rec.scenario === 'hang-stream') {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    if (rec.scenario === 'stream-error') {
      send('error', {
        code: 'server_error',
        message: 'The server had an error while processing your request.',
        param: null,
      });
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
    const partials = Math.max(0, Math.min(3, Number(tool?.partial_images ?? 0)));
    for (let i = 0; i < partials; i++) {
      const partial = await sharp(page)
        .resize({ width: Math.round(width / (4 - i)) })
        .blur(3)
        .png()
        .toBuffer();
      send('response.image_generation_call.partial_image', {
        output_index: 0,
        item_id: itemId,
        partial_image_index: i,
        partial_image_b64: partial.toString('base64'),
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

  async function answerImagesEdit(rec: RecordedRequest, prompt: string, res: ServerResponse) {
    const f = rec.fields!;
    const n = Number(f.n?.[0] ?? 1);
    const quality = f.quality?.[0] ?? 'auto';
    const size = f.size?.[0] ?? 'auto';
    const [width, height] = parseSize(size);
    const rows = rowsFromPrompt(prompt) ?? [1];
    // The Images API has no conversation: a refinement is recognised by its first image being a page.
    const turn = rec.files!.some((x) => x.filename.startsWith('previous')) ? 1 : 0;
    if (rec.scenario === 'no-image')
      return sendJson(res, 200, { created: Math.floor(Date.now() / 1000), data: [] });
    const data = [];
    for (let i = 0; i < n; i++) {
      const page = await drawPage({ width, height, rows, turn, variant: i, style: pageStyle(rec.scenario) });
      data.push({ b64_json: page.toString('base64') });
    }
    const imageTokens = rec.images.length * 323;
    const textTokens = Math.ceil(prompt.length / 4);
    const outTokens = n * (quality === 'high' ? 4160 : quality === 'low' ? 272 : 1056);
    sendJson(res, 200, {
      created: Math.floor(Date.now() / 1000),
      background: 'opaque',
      data,
      output_format: 'png',
      quality: quality === 'auto' ? 'medium' : quality,
      size: size === 'auto' ? '1024x1024' : size,
      usage: {
        input_tokens: imageTokens + textTokens,
        input_tokens_details: { image_tokens: imageTokens, text_tokens: textTokens },
        output_tokens: outTokens,
        output_tokens_details: { image_tokens: outTokens, text_tokens: 0 },
        total_tokens: imageTokens + textTokens + outTokens,
      },
    });
  }

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  fake.baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return fake;
}

function pageStyle(s: Scenario): PageSpec['style'] {
  return s === 'noisy' ? 'noisy' : s === 'no-gutters' ? 'no-gutters' : 'clean';
}

/** Reads "3 panels in row 1, 1 panel in row 2" back out of the prompt, as a model would. */
export function rowsFromPrompt(prompt: string): number[] | undefined {
  const rows: number[] = [];
  for (const m of prompt.matchAll(/(\d+) panels? in row (\d+)/g)) rows[Number(m[2]) - 1] = Number(m[1]);
  return rows.length && rows.every((r) => r > 0) ? rows : undefined;
}

function parseSize(size: string): [number, number] {
  const m = /^(\d+)x(\d+)$/.exec(size);
  return m ? [Number(m[1]), Number(m[2])] : [1024, 1024];
}

function parseResponsesInput(body: Record<string, unknown>): { prompt: string; images: Buffer[] } {
  let prompt = '';
  const images: Buffer[] = [];
  const input = body.input;
  if (typeof input === 'string') return { prompt: input, images };
  for (const msg of (input as Array<{ content?: unknown }>) ?? []) {
    const content = msg.content;
    if (typeof content === 'string') prompt += content;
    for (const part of Array.isArray(content) ? (content as Array<Record<string, string>>) : []) {
      if (part.type === 'input_text') prompt += part.text;
      if (part.type === 'input_image' && part.image_url?.startsWith('data:')) {
        images.push(Buffer.from(part.image_url.slice(part.image_url.indexOf(',') + 1), 'base64'));
      }
    }
  }
  return { prompt, images };
}

/** Same page geometry the app uses (margin and gutter 3% of the short side), drawn as SVG. */
export async function drawPage(spec: PageSpec): Promise<Buffer> {
  const { width, height, rows, turn, variant, style } = spec;
  const unit = Math.min(width, height);
  const margin = style === 'no-gutters' ? 0 : Math.round(unit * 0.03);
  const gutter = style === 'no-gutters' ? 0 : Math.round(unit * 0.03);
  const rowH = (height - 2 * margin - (rows.length - 1) * gutter) / rows.length;
  const shapes: string[] = [];
  let panel = 0;
  rows.forEach((cols, r) => {
    const colW = (width - 2 * margin - (cols - 1) * gutter) / cols;
    for (let c = 0; c < cols; c++, panel++) {
      const x = margin + c * (colW + gutter);
      const y = margin + r * (rowH + gutter);
      const hue = (turn * 97 + variant * 41 + panel * 29) % 360;
      shapes.push(
        `<rect x="${x}" y="${y}" width="${colW}" height="${rowH}" fill="hsl(${hue},55%,62%)" stroke="#111" stroke-width="4"/>`,
        `<circle cx="${x + colW * 0.35}" cy="${y + rowH * 0.45}" r="${Math.min(colW, rowH) * 0.18}" fill="hsl(${(hue + 180) % 360},60%,40%)"/>`,
        `<rect x="${x + colW * 0.55}" y="${y + rowH * 0.55}" width="${colW * 0.3}" height="${rowH * 0.3}" fill="hsl(${(hue + 90) % 360},50%,30%)"/>`,
        `<ellipse cx="${x + colW * 0.7}" cy="${y + rowH * 0.2}" rx="${colW * 0.2}" ry="${rowH * 0.08}" fill="#fff" stroke="#111" stroke-width="3"/>`,
      );
    }
  });
  if (style === 'noisy') {
    // Artwork bleeding across every gutter, as models sometimes draw.
    shapes.push(
      `<line x1="0" y1="0" x2="${width}" y2="${height}" stroke="#333" stroke-width="${unit * 0.02}"/>`,
    );
    shapes.push(
      `<line x1="${width}" y1="0" x2="0" y2="${height}" stroke="#333" stroke-width="${unit * 0.02}"/>`,
    );
    shapes.push(`<rect x="${width * 0.3}" y="0" width="${width * 0.05}" height="${height}" fill="#c44"/>`);
    shapes.push(`<rect x="0" y="${height * 0.4}" width="${width}" height="${height * 0.05}" fill="#4c4"/>`);
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#fff"/>${shapes.join('')}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function sendError(
  res: ServerResponse,
  status: number,
  error: { message: string; type: string; code: string | null; param?: string },
  rec?: RecordedRequest,
  headers: Record<string, string> = {},
) {
  if (rec) rec.status = status;
  sendJson(res, status, { error: { param: null, ...error } }, headers);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [port, apiKey] = process.argv.slice(2);
  const fake = await startFakeOpenAI({ port: port ? Number(port) : 0, apiKey });
  console.log(`OPENAI_BASE_URL=${fake.baseURL}`);
  console.log(`OPENAI_API_KEY=${fake.apiKey}`);
  const stop = () => fake.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
