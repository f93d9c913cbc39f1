/**
 * The real core served by the real browser-mode server on temp folders: what a caller who
 * holds the token (or a script injected into the window) reaches. Used by the attack tests
 * and the fuzzer; nothing here is a stand-in except the secret store (a Map).
 */
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { type Core, createCore } from '../../src/main/core/app';
import { EventStream } from '../../src/main/server/event-stream';
import { type RunningServer, startServer } from '../../src/main/server/server';
import { waitUntilSettled } from '../helpers/settle';
import { tempDir } from '../helpers/temp';
import { type Reply, send } from '../server/helpers';

export interface BrowserCore {
  root: string;
  dataDir: string;
  core: Core;
  events: EventStream;
  server: RunningServer;
  token: string;
  /** What the secret store holds, by name. */
  secrets: Map<string, string>;
  /** POST /api/<method> with the token, as the window's HTTP transport does. */
  call(method: string, body?: unknown, raw?: boolean): Promise<Reply>;
  close(): Promise<void>;
}

export interface BrowserCoreOptions {
  autoStart?: boolean;
  /**
   * Builds the library first with a core of its own, which is then closed (so every index is
   * saved) before the served core opens it: the served library starts quiet.
   */
  library?: (core: Core, root: string) => Promise<void>;
}

/** A library of one 320x240 JPEG, `<root>/photos/<name>`, scanned before the served core opens it. */
export function onePhotoLibrary(name: string): NonNullable<BrowserCoreOptions['library']> {
  return async (core, root) => {
    const photos = join(root, 'photos');
    mkdirSync(photos);
    const jpeg = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#3a7' } })
      .jpeg()
      .toBuffer();
    writeFileSync(join(photos, name), jpeg);
    await core.handlers['folders:add']({ path: photos });
    await waitUntilSettled(core);
  };
}

export async function startBrowserCore(options: BrowserCoreOptions = {}): Promise<BrowserCore> {
  const temp = tempDir('komorebi-attack-');
  const root = realpathSync(temp.dir);
  const dataDir = join(root, 'data');
  const rendererDir = join(root, 'renderer');
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Komorebi</title>');
  const saved = new Map<string, string>();
  const secrets = {
    get: async (name: string) => saved.get(name) ?? null,
    set: async (name: string, value: string | null) => {
      if (value === null) saved.delete(name);
      else saved.set(name, value);
    },
  };
  const events = new EventStream(60_000);
  if (options.library) {
    const builder = await createCore({ dataDir, shell: 'test', notifier: new EventStream(60_000), secrets });
    try {
      await options.library(builder, root);
    } finally {
      await builder.close();
    }
  }
  const core = await createCore({
    dataDir,
    shell: 'test',
    notifier: events,
    autoStart: options.autoStart,
    secrets,
  });
  const token = 'attack-test-token-0123456789abcdef';
  const server = await startServer({ core, events, port: 0, token, rendererDir });
  return {
    root,
    dataDir,
    core,
    events,
    server,
    token,
    secrets: saved,
    call: (method, body, raw = false) =>
      send(server.port, `/api/${method}`, {
        method: 'POST',
        headers: { 'x-komorebi-token': token, 'content-type': 'application/json' },
        body: body === undefined ? undefined : raw ? String(body) : JSON.stringify(body),
      }),
    close: async () => {
      await server.close();
      await core.close();
      temp.cleanup();
    },
  };
}
