// The secrets campaign (issue 12 item 3): use the app for real, in browser mode's own process
// (`npm run serve`), with an OpenAI key and a Milvus token: test the key, list models, draw,
// fail, export, configure Milvus, meet servers that repeat the secret they were sent in their
// errors, start a second copy that fails on the same data folder, shut down. Then look for
// every secret, whole, masked-in-the-middle and base64, in everything the app printed (stdout,
// stderr of both processes), answered (every Api reply, the page), streamed (every event), and
// wrote (every file under the data folder and its temp folder: SQLite with its journal, previews,
// comics, exports inside their PDF and CBZ streams). The one place a secret may be is the
// secret store's own file, readable by the user only; finding them there proves the search works.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { inflateSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOfflineModel } from '../../scripts/models/build-offline-model';
import { JobQueue } from '../../src/main/core/jobs/queue';
import { openDatabase } from '../../src/main/core/library/db';
import { Redactor } from '../../src/main/core/redact';
import { type MilvusLiteServer, startMilvusLite } from '../../src/main/core/vectors/milvus-lite';
import type { ComicSession } from '../../src/shared/model';
import { queueIdle } from '../helpers/queue';
import { RecordingNotifier, tempDir } from '../helpers/temp';
import { type Reply, send } from '../server/helpers';
import { type FakeOpenAI, startFakeOpenAI } from '../studio/fake-openai';
import { OPTIONS } from '../studio-sessions/setup';
import { type AuthMilvusServer, startAuthMilvusServer } from '../vectors/milvus-auth-server';

const hex = () => randomBytes(12).toString('hex');
const KEY = `sk-proj-campaign${hex()}`;
// A key for the user's own gateway, which need not look like OpenAI's `sk-…`.
const ECHOED_KEY = `gateway-echoed-${hex()}`;
const TOKEN = `root:milvus-campaign-${hex()}`;
const ECHOED_TOKEN = `root:milvus-echoed-${hex()}`;
const SECRETS = { KEY, ECHOED_KEY, TOKEN, ECHOED_TOKEN };

/** What a leak could look like: the whole secret, its middle (what survives masking), base64. */
function forms(secret: string): string[] {
  const b64 = Buffer.from(secret).toString('base64');
  return [secret, secret.slice(7, -5), b64.slice(0, -4)];
}

const temp = tempDir('komorebi-secrets-campaign-');
const root = realpathSync(temp.dir);
const dataDir = join(root, 'data');
const tmp = join(root, 'tmp');
let fake: FakeOpenAI;
let lite: MilvusLiteServer;
let echoMilvus: AuthMilvusServer;
let echoOpenAI: { url: string; authorizations: string[]; server: Server };
let serve: Serving;
let second: Serving;
let port: number;
let token: string;
/** Everything the app sent to its callers, and what it printed, by where it came from. */
const seen: { where: string; text: string }[] = [];

interface Serving {
  proc: ChildProcess;
  out: { stdout: string; stderr: string };
  exited: Promise<number | null>;
}

function startServe(): Serving {
  const proc = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/main/server/cli.ts',
      '--data-dir',
      dataDir,
      '--port',
      '0',
      '--renderer-dir',
      join(root, 'renderer'),
    ],
    {
      env: {
        ...process.env,
        TMPDIR: tmp,
        KOMOREBI_TOKEN: '',
        KOMOREBI_PORT: '',
        KOMOREBI_HOST: '',
        OPENAI_API_KEY: '',
        OPENAI_BASE_URL: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const out = { stdout: '', stderr: '' };
  proc.stdout!.on('data', (c: Buffer) => {
    out.stdout += c.toString();
  });
  proc.stderr!.on('data', (c: Buffer) => {
    out.stderr += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, out, exited };
}

async function call(method: string, body: unknown = {}): Promise<Reply> {
  const reply = await send(port, `/api/${method}`, {
    method: 'POST',
    headers: { 'x-komorebi-token': token, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  seen.push({ where: `answer to ${method}`, text: `${JSON.stringify(reply.headers)}\n${reply.text}` });
  return reply;
}

async function ok<T>(method: string, body: unknown = {}): Promise<T> {
  const reply = await call(method, body);
  expect(reply.status, `${method}: ${reply.text}`).toBe(200);
  return JSON.parse(reply.text) as T;
}

async function until<T>(what: string, check: () => Promise<T | undefined>, ms = 90_000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Draws one page and waits for it to end; its state. */
async function draw(session: number, prompt: string): Promise<{ id: number; state: string }> {
  const { versionIds } = await ok<{ versionIds: number[] }>('studio:generate', {
    id: session,
    prompt,
    options: OPTIONS,
  });
  return until(`version ${versionIds[0]}`, async () => {
    const got = await ok<ComicSession>('studio:get', { id: session });
    const v = got.versionList.find((x) => x.id === versionIds[0]);
    return v && v.state !== 'generating' ? { id: v.id, state: v.state } : undefined;
  });
}

/** An OpenAI-compatible gateway that repeats the Authorization header it got in its 400 (a careless proxy). */
async function startEchoOpenAI(): Promise<typeof echoOpenAI> {
  const authorizations: string[] = [];
  const server = createServer((req, res) => {
    const auth = String(req.headers.authorization ?? '');
    authorizations.push(auth);
    req.resume();
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        error: {
          message: `Unknown project for key ${auth.replace(/^Bearer /, '')}.`,
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_value',
        },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: p } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${p}/v1`, authorizations, server };
}

/** Every event the window's stream carries, as text. */
function recordEvents(): { close(): void } {
  const req = httpRequest({
    host: '127.0.0.1',
    port,
    path: '/api/events',
    headers: { 'x-komorebi-token': token },
  });
  req.on('response', (res) => {
    res.on('data', (c: Buffer) => seen.push({ where: 'event stream', text: c.toString() }));
  });
  req.on('error', () => {});
  req.end();
  return { close: () => req.destroy() };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** A file's bytes, and for PDFs and CBZs also what their compressed streams hold. */
function contents(file: string): Buffer[] {
  const bytes = readFileSync(file);
  const out = [bytes];
  if (file.endsWith('.cbz')) out.push(...Object.values(unzipSync(bytes)).map((b) => Buffer.from(b)));
  if (file.endsWith('.pdf')) {
    const text = bytes.toString('latin1');
    for (const m of text.matchAll(/stream\r?\n/g)) {
      const start = m.index + m[0].length;
      const end = text.indexOf('endstream', start);
      try {
        out.push(inflateSync(bytes.subarray(start, end)));
      } catch {
        // not a Flate stream
      }
    }
  }
  return out;
}

function leaksIn(text: string | Buffer): string[] {
  const hay = typeof text === 'string' ? text : text.toString('latin1');
  return Object.entries(SECRETS)
    .filter(([, secret]) => forms(secret).some((f) => hay.includes(f)))
    .map(([name]) => name);
}

let events: { close(): void };
const mediaStatuses: (number | string)[] = [];
let exports: string[] = [];

beforeAll(async () => {
  buildOfflineModel(); // an active model, so configuring Milvus really opens the store
  mkdirSync(tmp);
  mkdirSync(join(root, 'renderer'));
  writeFileSync(join(root, 'renderer', 'index.html'), '<!doctype html><title>Komorebi</title>');
  mkdirSync(join(root, 'photos'));
  writeFileSync(
    join(root, 'photos', 'walk.jpg'),
    await sharp({ create: { width: 320, height: 240, channels: 3, background: '#3a7' } })
      .jpeg()
      .toBuffer(),
  );
  fake = await startFakeOpenAI({ apiKey: KEY });
  lite = await startMilvusLite({ dataDir: join(root, 'milvus') });
  echoMilvus = await startAuthMilvusServer(ECHOED_TOKEN, undefined, true);
  echoOpenAI = await startEchoOpenAI();

  serve = startServe();
  const line = await until('the URL line', async () =>
    serve.out.stdout.split('\n')[1] !== undefined ? serve.out.stdout.split('\n')[0] : undefined,
  );
  const match = /:(\d+)\/\?token=([0-9a-f]+)$/.exec(line);
  expect(match, line).not.toBeNull();
  port = Number(match![1]);
  token = match![2]!;
  events = recordEvents();

  // The library, and a comic drawn with the key.
  await ok('folders:add', { path: join(root, 'photos') });
  const photo = await until('the photo', async () => {
    const page = await ok<{ items: { id: number }[] }>('photos:list', { limit: 10 });
    return page.items[0];
  });
  await ok('studio:set-key', { key: KEY, baseUrl: fake.baseURL });
  await ok('studio:test-key');
  await ok('studio:models', { refresh: true });
  const session = await ok<{ id: number }>('studio:create', { photoIds: [photo.id], title: 'Campaign' });
  const drawn = await draw(session.id, 'A walk in the park');
  expect(drawn.state).toBe('done');
  fake.failNext('401');
  expect((await draw(session.id, 'Refused')).state).toBe('failed');
  exports = (
    await ok<{ files: string[] }>('studio:export', {
      versionIds: [drawn.id],
      formats: ['page', 'panels', 'pdf', 'cbz'],
      folder: join(dataDir, 'exports', 'Campaign'),
    })
  ).files;

  // Milvus with a token.
  await ok('vectors:configure', { config: { kind: 'milvus', uri: lite.uri, token: TOKEN } });
  await until('Milvus in use', async () =>
    (await ok<{ location: string }>('vectors:status')).location === lite.uri ? true : undefined,
  );

  // Servers that repeat the secret in their errors.
  await ok('studio:set-key', { key: ECHOED_KEY, baseUrl: echoOpenAI.url });
  await call('studio:test-key');
  await call('studio:models', { refresh: true });
  expect((await draw(session.id, 'Echoed')).state).toBe('failed');
  await call('vectors:test', { config: { kind: 'milvus', uri: echoMilvus.uri, token: ECHOED_TOKEN } });
  await call('vectors:configure', { config: { kind: 'milvus', uri: echoMilvus.uri, token: ECHOED_TOKEN } });

  // What the window reads.
  for (const method of [
    'app:info',
    'studio:options',
    'studio:sessions',
    'vectors:status',
    'folders:list',
    'library:status',
    'models:list',
  ]) {
    await call(method);
  }
  await call('studio:get', { id: session.id });
  await call('library:problems', {});
  await call('jobs:failed', {});
  const page = await send(port, `/?token=${token}`);
  seen.push({ where: 'the page', text: `${JSON.stringify(page.headers)}\n${page.text}` });
  // What the window could try to read of the secret store through the media and static routes.
  for (const path of [
    '/media/thumbs/../secrets.json',
    '/media/thumbs/%2e%2e/secrets.json',
    '/media/studio/..%2fsecrets.json',
    '/media/folder/1/..%2f..%2fdata%2fsecrets.json',
    '/secrets.json',
    '/%2e%2e/data/secrets.json',
  ]) {
    const got = await send(port, path, { headers: { 'x-komorebi-token': token } });
    seen.push({ where: `GET ${path}`, text: got.text });
    mediaStatuses.push(
      got.status === 200 ? `the page (${got.text.includes('<title>Komorebi</title>')})` : got.status,
    );
  }

  // A second copy on the same data folder fails to start; then the first shuts down.
  second = startServe();
  expect(await second.exited).not.toBe(0);
  events.close();
  serve.proc.kill('SIGTERM');
  expect(await serve.exited).toBe(0);
  seen.push(
    { where: 'stdout', text: serve.out.stdout },
    { where: 'stderr', text: serve.out.stderr },
    { where: 'stdout of the second copy', text: second.out.stdout },
    { where: 'stderr of the second copy', text: second.out.stderr },
  );
}, 240_000);

afterAll(async () => {
  events?.close();
  for (const s of [serve, second]) if (s && s.proc.exitCode === null) s.proc.kill('SIGKILL');
  await fake?.close();
  await lite?.stop();
  await echoMilvus?.stop();
  echoOpenAI?.server.close();
  temp.cleanup();
});

describe('the secrets campaign', () => {
  it('used every secret for real: each reached its own server, and the echoing ones repeated them', () => {
    expect(fake.requests.length).toBeGreaterThan(0);
    expect(echoOpenAI.authorizations).toContain(`Bearer ${ECHOED_KEY}`);
    expect(echoMilvus.tokensSeen).toContain(ECHOED_TOKEN);
    expect(exports.some((f) => f.endsWith('.cbz')) && exports.some((f) => f.endsWith('.pdf'))).toBe(true);
  });

  it('the secret store’s own file holds them, readable by the user only (the search finds what is there)', () => {
    const store = join(dataDir, 'secrets.json');
    expect(leaksIn(readFileSync(store)).sort()).toEqual(['ECHOED_KEY', 'TOKEN'].sort());
    expect(statSync(store).mode & 0o077).toBe(0);
  });

  it('no answer, event, log line, error or crash output holds one', () => {
    const found = seen.flatMap((s) => leaksIn(s.text).map((name) => `${name} in ${s.where}`));
    expect(found).toEqual([]);
    expect(seen.filter((s) => s.where === 'event stream').length).toBeGreaterThan(0);
    expect(second.out.stderr.length).toBeGreaterThan(0);
    // Each is refused; the static route answers an unknown page path with the app itself.
    expect(mediaStatuses).toEqual([404, 404, 404, 404, 404, 'the page (true)']);
  });

  it('no file the app wrote holds one: database and journal, previews, comics, exports, temp files', () => {
    const files = [...filesUnder(dataDir), ...filesUnder(tmp)].filter(
      (f) => f !== join(dataDir, 'secrets.json'),
    );
    expect(files.some((f) => f.endsWith('library.db'))).toBe(true);
    expect(files.filter((f) => f.startsWith(join(dataDir, 'exports')))).toHaveLength(exports.length);
    const found = files.flatMap((f) =>
      contents(f).flatMap((c) => leaksIn(c).map((n) => `${n} in ${relative(root, f)}`)),
    );
    expect([...new Set(found)]).toEqual([]);
  });
});

describe('a failure that repeats a secret', () => {
  it('is saved and listed without it: jobs (a vector store that echoes its token)', async () => {
    const dir = tempDir('komorebi-secret-jobs-');
    const path = join(dir.dir, 'library.db');
    const db = openDatabase(path);
    try {
      const redactor = new Redactor();
      redactor.remember(TOKEN);
      const queue = new JobQueue<{ upsert: Record<string, never> }>(db, new RecordingNotifier(), (t) =>
        redactor.text(t),
      );
      queue.register('upsert', { label: 'Indexing' }, async () => {
        throw new Error(`auth check failure for token ${TOKEN}`);
      });
      queue.enqueue({ kind: 'upsert', key: 'a', payload: {} });
      queue.start();
      await queueIdle(queue);
      expect(queue.failedJobs().map((j) => j.reason)).toEqual(['auth check failure for token [secret]']);
    } finally {
      db.close();
    }
    const leaks = readdirSync(dir.dir).flatMap((f) => leaksIn(readFileSync(join(dir.dir, f))));
    dir.cleanup();
    expect(leaks).toEqual([]);
  });
});
