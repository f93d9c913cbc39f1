/**
 * The local OpenAI server: routing, authentication, model access, schema checks and scenario
 * choice; what each endpoint answers is in responses.ts and images.ts.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { badKey, httpFailure, modelNotFound, sendError, sendJson, verificationNeeded } from './errors';
import { answerImages } from './images';
import { answerResponses } from './responses';
import type { FakeState } from './state';
import { todaysModels } from './today';
import type { FakeOpenAI, RecordedRequest, Scenario } from './types';
import { multipartAsObject, schemaErrors } from './validate';

export async function startFakeOpenAI(opts: { apiKey?: string; port?: number } = {}): Promise<FakeOpenAI> {
  const apiKey = opts.apiKey ?? `sk-test-${randomBytes(8).toString('hex')}`;
  const hanging = new Set<ServerResponse>();
  const fake: FakeOpenAI = {
    baseURL: '',
    apiKey,
    requests: [],
    violations: [],
    retryAfterSeconds: 1,
    models: todaysModels(),
    needsVerification: new Set(),
    failNext: (...s) => state.queue.push(...s),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const state: FakeState = {
    fake,
    queue: [],
    stored: new Map(),
    hang: (res) => {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
    },
    cut: (res) => {
      res.write('', () => setTimeout(() => res.destroy(), 20));
    },
  };

  const server: Server = createServer((req, res) => {
    handle(state, req, res).catch((err) => {
      if (!res.headersSent)
        sendError(res, { status: 500, error: { message: String(err), type: 'server_error', code: null } });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  fake.baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return fake;
}

async function handle(state: FakeState, req: IncomingMessage, res: ServerResponse) {
  const { fake } = state;
  const body = await readBody(req);
  const path = (req.url ?? '').split('?')[0] ?? '';
  if (path.startsWith('/__fake/')) return control(state, req.method ?? '', path, body, res);
  const rec: RecordedRequest = {
    method: req.method ?? '',
    path,
    headers: req.headers,
    images: [],
    scenario: 'ok',
    schemaErrors: [],
  };
  fake.requests.push(rec);
  if (req.headers.authorization !== `Bearer ${fake.apiKey}`) {
    return sendError(res, badKey(String(req.headers.authorization ?? '').replace(/^Bearer\s+/, '')), rec);
  }
  if (req.method === 'GET' && path === '/v1/models') {
    rec.status = 200;
    return sendChecked(fake, res, 'ListModelsResponse', {
      object: 'list',
      data: [...fake.models.values()].map(asModel),
    });
  }
  if (req.method === 'GET' && path.startsWith('/v1/models/')) {
    const model = decodeURIComponent(path.slice('/v1/models/'.length));
    const found = fake.models.get(model);
    if (!found) return sendError(res, modelNotFound(model, null), rec);
    // Assumed here: a model the organization must be verified for says so when looked up.
    if (fake.needsVerification.has(model)) return sendError(res, verificationNeeded(model), rec);
    rec.status = 200;
    return sendChecked(fake, res, 'Model', asModel(found));
  }
  let prompt = '';
  let model = '';
  let toolModel: string | undefined;
  if (req.method === 'POST' && path === '/v1/responses') {
    rec.json = JSON.parse(body.toString('utf8'));
    check(fake, rec, 'CreateResponse', rec.json);
    ({ prompt, images: rec.images } = parseResponsesInput(rec.json!));
    model = String(rec.json!.model);
    const tool = ((rec.json!.tools as Array<Record<string, unknown>>) ?? []).find(
      (t) => t.type === 'image_generation',
    );
    toolModel = tool?.model as string | undefined;
  } else if (req.method === 'POST' && path === '/v1/images/generations') {
    rec.json = JSON.parse(body.toString('utf8'));
    check(fake, rec, 'CreateImageRequest', rec.json);
    prompt = String(rec.json!.prompt ?? '');
    model = String(rec.json!.model ?? 'dall-e-2');
  } else if (req.method === 'POST' && path === '/v1/images/edits') {
    await readMultipart(req, body, rec);
    check(
      fake,
      rec,
      'CreateImageEditRequest',
      multipartAsObject('CreateImageEditRequest', rec.fields!, rec.files!),
    );
    prompt = rec.fields!.prompt?.[0] ?? '';
    model = rec.fields!.model?.[0] ?? 'gpt-image-1.5';
    rec.images = rec.files!.filter((f) => f.field === 'image[]' || f.field === 'image').map((f) => f.data);
    rec.mask = rec.files!.find((f) => f.field === 'mask')?.data;
  } else {
    return sendError(
      res,
      {
        status: 404,
        error: { message: `Invalid URL (${req.method} ${path})`, type: 'invalid_request_error', code: null },
      },
      rec,
    );
  }
  if (rec.schemaErrors.length > 0) {
    return sendError(
      res,
      {
        status: 400,
        error: {
          message: `The request does not match OpenAI's API description: ${rec.schemaErrors.join('; ')}`,
          type: 'invalid_request_error',
          code: 'invalid_request',
        },
      },
      rec,
    );
  }
  rec.scenario = chooseScenario(state, req, prompt);
  if (rec.scenario === '401') return sendError(res, badKey(fake.apiKey.replace(/.$/, 'x')), rec);
  if (!fake.models.has(model)) return sendError(res, modelNotFound(model), rec);
  for (const m of [model, toolModel]) {
    if (m && fake.needsVerification.has(m)) return sendError(res, verificationNeeded(m), rec);
  }
  if (rec.scenario === 'drop') return res.destroy();
  if (rec.scenario === 'hang') return state.hang(res);
  const failure = httpFailure(
    rec.scenario,
    toolModel ?? model,
    fake.retryAfterSeconds,
    path.startsWith('/v1/images'),
  );
  if (failure) return sendError(res, failure, rec);
  if (path === '/v1/responses') return answerResponses(state, rec, prompt, res);
  return answerImages(state, rec, prompt, res);
}

function check(
  fake: FakeOpenAI,
  rec: RecordedRequest,
  root: Parameters<typeof schemaErrors>[0],
  data: unknown,
) {
  rec.schemaErrors = schemaErrors(root, data);
  for (const e of rec.schemaErrors) fake.violations.push(`${rec.method} ${rec.path}: ${e}`);
}

/** The fake's own answers are checked too: a fake that drifts from the description is a bug. */
function sendChecked(
  fake: FakeOpenAI,
  res: ServerResponse,
  root: 'ListModelsResponse' | 'Model',
  body: unknown,
) {
  for (const e of schemaErrors(root, body)) fake.violations.push(`fake answer ${root}: ${e}`);
  sendJson(res, 200, body);
}

function asModel(m: { id: string; created: number; owned_by: string; shutdown_date: string | null }) {
  return {
    id: m.id,
    object: 'model',
    created: m.created,
    owned_by: m.owned_by,
    shutdown_date: m.shutdown_date,
  };
}

function control(state: FakeState, method: string, path: string, body: Buffer, res: ServerResponse) {
  const { fake } = state;
  if (method === 'POST' && path === '/__fake/fail-next') {
    const { scenarios } = JSON.parse(body.toString('utf8') || '{}') as { scenarios?: Scenario[] };
    state.queue.push(...(scenarios ?? []));
    return sendJson(res, 200, { queued: state.queue.length });
  }
  if (method === 'POST' && path === '/__fake/reset') {
    state.queue.length = 0;
    fake.requests.length = 0;
    fake.violations.length = 0;
    return sendJson(res, 200, { ok: true });
  }
  if (method === 'GET' && path === '/__fake/requests') {
    return sendJson(
      res,
      200,
      fake.requests.map((r) => ({
        method: r.method,
        path: r.path,
        scenario: r.scenario,
        status: r.status,
        model: r.json?.model ?? r.fields?.model?.[0],
        previousResponseId: r.json?.previous_response_id,
        imageCount: r.images.length,
        schemaErrors: r.schemaErrors,
      })),
    );
  }
  if (method === 'GET' && path === '/__fake/violations') return sendJson(res, 200, fake.violations);
  return sendJson(res, 404, { error: 'unknown control endpoint' });
}

function chooseScenario(state: FakeState, req: IncomingMessage, prompt: string): Scenario {
  const fromQueue = state.queue.shift();
  if (fromQueue) return fromQueue;
  const header = req.headers['x-fake-scenario'];
  if (typeof header === 'string') return header as Scenario;
  const magic = /FAKE:([a-z0-9-]+)/.exec(prompt);
  return (magic?.[1] as Scenario | undefined) ?? 'ok';
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

async function readMultipart(req: IncomingMessage, body: Buffer, rec: RecordedRequest) {
  const form = await new Response(new Uint8Array(body), {
    headers: { 'content-type': req.headers['content-type'] ?? '' },
  }).formData();
  rec.fields = {};
  rec.files = [];
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string') rec.fields[field] = [...(rec.fields[field] ?? []), value];
    else
      rec.files.push({
        field,
        filename: value.name,
        contentType: value.type,
        data: Buffer.from(await value.arrayBuffer()),
      });
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
