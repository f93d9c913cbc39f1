/**
 * Debian's Chromium driven over the DevTools protocol itself (`--remote-debugging-pipe`), for the
 * gallery benchmark's memory figures. Playwright enables the `Network` domain on every page, and
 * with it DevTools keeps the body of every response in the renderer (up to ~200 MB) so that it
 * could show them: a gallery that fetched 4,000 thumbnails looked 200 MB heavier than it is for a
 * user, who has no DevTools attached. Here no domain is enabled that the benchmark does not use.
 * Launch flags: those of scripts/chromium.ts plus the ones Playwright adds for a headless run
 * that change what the page does (timers and rendering not throttled, no scrollbars, sRGB).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { CHROMIUM, CHROMIUM_ARGS } from '../scripts/chromium';

const HEADLESS_ARGS = [
  '--headless',
  '--hide-scrollbars',
  '--mute-audio',
  '--disable-field-trial-config',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--disable-renderer-backgrounding',
  '--disable-back-forward-cache',
  '--disable-extensions',
  '--disable-dev-shm-usage',
  '--force-color-profile=srgb',
  '--no-default-browser-check',
  '--password-store=basic',
];

interface Message {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: unknown;
  error?: { message: string };
  sessionId?: string;
}

type Listener = (params: Record<string, unknown>, sessionId?: string) => void;

export class CdpBrowser {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Map<string, Set<Listener>>();

  private constructor(
    private readonly proc: ChildProcess,
    private readonly userDataDir: string,
  ) {
    const input = proc.stdio[4] as Readable;
    let buffered = '';
    input.setEncoding('utf8');
    input.on('data', (chunk: string) => {
      buffered += chunk;
      for (let end = buffered.indexOf('\0'); end >= 0; end = buffered.indexOf('\0')) {
        this.receive(JSON.parse(buffered.slice(0, end)) as Message);
        buffered = buffered.slice(end + 1);
      }
    });
  }

  /** Starts a fresh headless Chromium (own profile directory) with `args` added. */
  static launch(args: string[] = []): CdpBrowser {
    const userDataDir = mkdtempSync(join(tmpdir(), 'komorebi-bench-chromium-'));
    const proc = spawn(
      CHROMIUM,
      [
        ...CHROMIUM_ARGS,
        ...HEADLESS_ARGS,
        ...args,
        `--user-data-dir=${userDataDir}`,
        '--remote-debugging-pipe',
        'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
    );
    return new CdpBrowser(proc, userDataDir);
  }

  /** The browser process (its renderers are its descendants). */
  get pid(): number {
    return this.proc.pid ?? 0;
  }

  send<T = Record<string, unknown>>(method: string, params: object = {}, sessionId?: string): Promise<T> {
    const id = ++this.nextId;
    const message = JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) });
    (this.proc.stdio[3] as Writable).write(`${message}\0`);
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    });
  }

  on(method: string, listener: Listener): () => void {
    const set = this.listeners.get(method) ?? new Set();
    set.add(listener);
    this.listeners.set(method, set);
    return () => set.delete(listener);
  }

  /** A new page of `width` x `height` CSS pixels, opened at `url` once its load event fired. */
  async newPage(url: string, width: number, height: number): Promise<CdpPage> {
    const { targetId } = await this.send<{ targetId: string }>('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await this.send<{ sessionId: string }>('Target.attachToTarget', {
      targetId,
      flatten: true,
    });
    const page = new CdpPage(this, sessionId);
    await page.send('Emulation.setDeviceMetricsOverride', {
      width,
      height,
      deviceScaleFactor: 1,
      mobile: false,
    });
    await page.send('Page.enable');
    const loaded = new Promise<void>((resolve) => {
      const off = this.on('Page.loadEventFired', (_params, from) => {
        if (from !== sessionId) return;
        off();
        resolve();
      });
    });
    await page.send('Page.navigate', { url });
    await loaded;
    return page;
  }

  /** Ends a trace started with `transferMode: 'ReturnAsStream'` and returns its events. */
  async endTracing<E>(): Promise<E[]> {
    const complete = new Promise<string>((resolve) => {
      const off = this.on('Tracing.tracingComplete', (params) => {
        off();
        resolve(String(params.stream));
      });
    });
    await this.send('Tracing.end');
    const handle = await complete;
    let text = '';
    for (;;) {
      const chunk = await this.send<{ data: string; eof: boolean; base64Encoded?: boolean }>('IO.read', {
        handle,
      });
      text += chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString('utf8') : chunk.data;
      if (chunk.eof) break;
    }
    await this.send('IO.close', { handle });
    const parsed = JSON.parse(text) as { traceEvents?: E[] } | E[];
    return Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.proc.once('exit', resolve));
    this.send('Browser.close').catch(() => {});
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    rmSync(this.userDataDir, { recursive: true, force: true });
  }

  private receive(message: Message): void {
    if (message.id !== undefined) {
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) waiting?.reject(new Error(message.error.message));
      else waiting?.resolve(message.result);
      return;
    }
    for (const listener of this.listeners.get(message.method ?? '') ?? [])
      listener(message.params ?? {}, message.sessionId);
  }
}

export class CdpPage {
  constructor(
    private readonly browser: CdpBrowser,
    private readonly sessionId: string,
  ) {}

  send<T = Record<string, unknown>>(method: string, params: object = {}): Promise<T> {
    return this.browser.send<T>(method, params, this.sessionId);
  }

  /** The value of a JavaScript expression in the page (a promise is awaited). */
  async evaluate<T>(expression: string): Promise<T> {
    const { result, exceptionDetails } = await this.send<{
      result: { value?: unknown };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    }>('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
    if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
    return result.value as T;
  }

  /** Waits until `expression` is truthy (polled every 50 ms), or throws after timeoutMs. */
  async waitFor(expression: string, timeoutMs = 30_000): Promise<void> {
    const start = Date.now();
    while (!(await this.evaluate<boolean>(`Boolean(${expression})`))) {
      if (Date.now() - start > timeoutMs) throw new Error(`Timed out waiting for ${expression}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
