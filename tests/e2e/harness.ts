/**
 * End-to-end harness: the real app in browser mode (`npm run serve` as a child process on a
 * temp data dir) driven by Debian's Chromium through playwright-core. Needs `npm run build`
 * first (npm test does it) and /usr/bin/chromium (npm run setup installs it).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import sharp, { type Sharp } from 'sharp';
import { CHROMIUM, CHROMIUM_ARGS } from '../../scripts/chromium';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export { CHROMIUM, CHROMIUM_ARGS };

export interface RunningApp {
  /** `http://127.0.0.1:N/?token=T`: what the user opens. */
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  /** Calls the Api over HTTP as the window does. */
  api<T = unknown>(method: string, input?: unknown): Promise<T>;
  /** Everything the server printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `npm run serve` (tsx src/main/server/cli.ts) and waits for its one line. */
export async function startApp(
  opts: {
    env?: Record<string, string>;
    dataDir?: string;
    args?: string[];
    /** A command the server is run under (e.g. `withWatchLimit(2)`); it must exec the program it is given. */
    launcher?: string[];
  } = {},
): Promise<RunningApp> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'komorebi-e2e-data-'));
  const [command, ...prefix] = [...(opts.launcher ?? []), process.execPath];
  const child: ChildProcess = spawn(
    command!,
    [
      ...prefix,
      join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
      join(repoRoot, 'src/main/server/cli.ts'),
      '--data-dir',
      dataDir,
      '--port',
      '0',
      ...(opts.args ?? []),
    ],
    { cwd: repoRoot, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`The server did not start within 60 s:\n${output}`)),
      60_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /Komorebi is running at (http:\/\/\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        done(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`The server exited (${code}) before it was ready:\n${output}`));
    });
  });
  const parsed = new URL(url);
  const token = parsed.searchParams.get('token') ?? '';
  const origin = parsed.origin;
  return {
    url,
    origin,
    token,
    dataDir,
    output: () => output,
    api: async <T>(method: string, input: unknown = {}) => {
      const res = await fetch(`${origin}/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-komorebi-token': token },
        body: JSON.stringify(input),
      });
      const body = (await res.json()) as T & { error?: { message: string } };
      if (!res.ok) throw new Error(`${method}: ${body.error?.message ?? res.status}`);
      return body;
    },
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface RunningBrowser {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Console errors and failed requests seen by the page (a CSP violation shows up here). */
  errors: string[];
  close(): Promise<void>;
}

/** Debian's Chromium, headless, with the flags that work on these machines (Playwright gives it a fresh profile). */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
}

export async function openBrowser(url: string): Promise<RunningBrowser> {
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  return {
    browser,
    context,
    page,
    errors,
    close: async () => {
      await browser.close();
    },
  };
}

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

/** A small photo that looks like nothing else: a gradient and shapes from a seed. */
export async function scene(seed: number, width = 640, height = 480): Promise<Sharp> {
  let s = seed >>> 0;
  const rand = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const hue = () => Math.floor(rand() * 360);
  let shapes = '';
  for (let i = 0; i < 10; i++) {
    const x = Math.floor(rand() * width);
    const y = Math.floor(rand() * height);
    const r = Math.floor(15 + rand() * width * 0.2);
    shapes += `<circle cx="${x}" cy="${y}" r="${r}" fill="hsl(${hue()},65%,${30 + rand() * 40}%)"/>`;
    shapes += `<rect x="${Math.floor(rand() * width)}" y="${Math.floor(rand() * height)}" width="${r}" height="${r * 1.5}" fill="hsl(${hue()},55%,50%)"/>`;
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue()},60%,70%)"/>
    <stop offset="1" stop-color="hsl(${hue()},50%,25%)"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>${shapes}</svg>`;
  return sharp(Buffer.from(svg));
}

/** Writes `count` distinct JPEGs named photo-01.jpg... into `dir`; returns their paths. */
export async function writePhotos(dir: string, count: number, firstSeed = 1): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const file = join(dir, `photo-${String(firstSeed + i).padStart(2, '0')}.jpg`);
    writeFileSync(file, await (await scene(firstSeed + i)).jpeg({ quality: 88 }).toBuffer());
    out.push(file);
  }
  return out;
}

/** Polls until `check` returns a truthy value. */
export async function waitUntil<T>(
  check: () => Promise<T> | T,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < until) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      lastError = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}

/** Waits until the library has no pending work (thumbnails and vectors included). */
export async function waitForIdle(app: RunningApp, photos: number): Promise<void> {
  await waitUntil(
    async () => {
      const status = await app.api<{
        photos: number;
        files: number;
        jobs: Record<string, { pending: number; running: number; failed: number }>;
      }>('library:status');
      const busy = Object.values(status.jobs).some((j) => j.pending + j.running > 0);
      if (status.files < photos || busy) return false;
      // The queue is also idle for a moment between ingest and the embedding sweep that a
      // library change schedules: done means every photo has a vector (or failed) and the
      // index holds them all.
      const { models } = await app.api<{ models: { active: boolean; embedded: number }[] }>('models:list');
      const active = models.find((m) => m.active);
      if (!active) return true;
      const vectors = await app.api<{ state: string; outbox: number }>('vectors:status');
      const indexed = active.embedded + (status.jobs.embed?.failed ?? 0) >= status.photos;
      return indexed && vectors.state === 'ready' && vectors.outbox === 0;
    },
    `${photos} photos ingested and indexed`,
    120_000,
  );
}
