// Errors keep their kind from a core handler to the window, in the desktop app as in browser
// mode. The IPC path runs the real main-process registration (src/main/ipc.ts), the real
// preload module (src/preload/index.ts) and the window's IPC transport; only Electron's own
// parts are stand-ins, and they behave as Electron documents them (docs/api/context-bridge.md
// and docs/api/ipc-renderer.md, electron/electron at 96f3996): values are copied (structured
// clone); an Error crossing contextBridge is rebuilt from its message alone (name and custom
// properties lost, shell/renderer/api/electron_api_context_bridge.cc); a main-process handler
// that throws makes invoke reject with "Error invoking remote method '<channel>': <error>".
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LibraryRequestError, ModelRequestError } from '../../src/main/core/errors';
import { ExportConflictError } from '../../src/main/core/studio/export';
import { StudioRequestError } from '../../src/main/core/studio/sessions';
import { VectorStoreError } from '../../src/main/core/vectors/port';
import { type IpcInvokeEventLike, registerApi } from '../../src/main/ipc';
import { isAppPage } from '../../src/main/url-trust';
import { createApi } from '../../src/renderer/src/api/create-api';
import { ApiError } from '../../src/renderer/src/api/errors';
import { createHttpTransport } from '../../src/renderer/src/api/transport-http';
import { createIpcTransport, findBridge } from '../../src/renderer/src/api/transport-ipc';
import { isExportConflict } from '../../src/renderer/src/views/studio/export-options';
import type { Api, ApiHandlers } from '../../src/shared/api';
import { expectedErrors } from '../../src/shared/errors';
import { type Fixture, startFixture } from '../server/helpers';

type Listener = (event: IpcInvokeEventLike, payload: unknown) => unknown;

const electron = vi.hoisted(() => {
  const rendererDir = '/opt/komorebi/out/renderer';
  const handlers = new Map<string, Listener>();
  // The app page's top frame: what Electron reports as the sender of the window's calls.
  const senderFrame = { url: '', parent: null };
  const copyError = (error: unknown) => (error instanceof Error ? new Error(error.message) : error);
  const ipcMain = {
    handle(channel: string, listener: Listener) {
      handlers.set(channel, listener);
    },
    removeHandler(channel: string) {
      handlers.delete(channel);
    },
  };
  const ipcRenderer = {
    async invoke(channel: string, payload: unknown): Promise<unknown> {
      const listener = handlers.get(channel);
      if (!listener)
        throw new Error(`Error invoking remote method '${channel}': Error: No handler registered`);
      try {
        return structuredClone(await listener({ senderFrame }, structuredClone(payload)));
      } catch (error) {
        throw new Error(`Error invoking remote method '${channel}': ${String(error)}`);
      }
    },
    on() {},
    removeListener() {},
  };
  const contextBridge = {
    exposeInMainWorld(key: string, api: Record<string, unknown>) {
      const copy: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(api)) {
        if (typeof value !== 'function') continue;
        copy[name] = (...args: unknown[]) => {
          let result: unknown;
          try {
            result = value(...structuredClone(args));
          } catch (error) {
            throw copyError(error);
          }
          if (!(result instanceof Promise)) return result;
          return result.then(
            (v) => structuredClone(v),
            (error) => {
              throw copyError(error);
            },
          );
        };
      }
      (globalThis as Record<string, unknown>)[key] = copy;
    },
  };
  return { rendererDir, senderFrame, ipcMain, ipcRenderer, contextBridge };
});

vi.mock('electron', () => ({ contextBridge: electron.contextBridge, ipcRenderer: electron.ipcRenderer }));

// What each handler throws: every kind a core handler raises, and a plain failure.
const thrown = {
  'studio:export': () => new ExportConflictError('/home/me/Comics', ['Trip - page.png', 'Trip - 1.png']),
  'studio:generate': () =>
    new StudioRequestError(
      'No OpenAI API key is set. Add one in Settings → Comic Studio to generate comics.',
    ),
  'vectors:configure': () =>
    new VectorStoreError(
      'unreachable',
      'Milvus at 127.0.0.1:19530 did not answer. Start it, or check the URI.',
    ),
  'folders:add': () => new LibraryRequestError('/nowhere is already watched.'),
  'models:use': () => new ModelRequestError('There is no model "nope". Choose one listed in Settings.'),
  'folders:rescan': () => new Error('The database is locked (SQLITE_BUSY).'),
} as const;

const handlers = {
  'photos:get': async ({ id }: { id: number }) => ({ id, name: 'a.jpg', takenAt: new Date(0).getTime() }),
  ...Object.fromEntries(
    Object.entries(thrown).map(([method, make]) => [
      method,
      async () => {
        throw make();
      },
    ]),
  ),
} as unknown as ApiHandlers;

// Valid inputs, so each call reaches its handler.
const inputs = {
  'studio:export': { versionIds: [1], formats: ['page', 'panels'], folder: '/home/me/Comics' },
  'studio:generate': {
    id: 1,
    prompt: 'a day at the sea',
    options: {
      style: 'ligne-claire',
      panels: 4,
      arrangement: 'grid',
      size: 'auto',
      quality: 'low',
      variations: 1,
    },
  },
  'vectors:configure': { config: { kind: 'embedded' } },
  'folders:add': { path: '/nowhere' },
  'models:use': { id: 'nope' },
  'folders:rescan': { id: 3 },
} as const;

let ipcApi: Api;
let httpApi: Api;
let server: Fixture;
let unregister: () => void;
const logged: unknown[][] = [];

beforeAll(async () => {
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    logged.push(args);
  });
  electron.senderFrame.url = pathToFileURL(`${electron.rendererDir}/index.html`).href;
  unregister = registerApi(electron.ipcMain, handlers, (url) =>
    isAppPage(url, { kind: 'file', rendererDir: electron.rendererDir }),
  );
  await import('../../src/preload/index');
  const bridge = findBridge();
  if (!bridge) throw new Error('The preload did not expose window.komorebi.');
  ipcApi = createApi(createIpcTransport(bridge));
  server = await startFixture(handlers);
  httpApi = createApi(
    createHttpTransport({ baseUrl: `http://127.0.0.1:${server.port}`, token: server.token }),
  );
});

afterAll(async () => {
  unregister?.();
  await server?.cleanup();
  vi.restoreAllMocks();
});

async function failure(call: Promise<unknown>): Promise<ApiError> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ApiError)) throw new Error(`Expected an ApiError, got ${String(error)}`);
  return error;
}

describe.each([
  ['Electron (IPC through the preload)', () => ipcApi],
  ['browser mode (HTTP)', () => httpApi],
])('errors keep their kind: %s', (_shell, api) => {
  it('passes values through', async () => {
    expect(await api()['photos:get']({ id: 7 })).toEqual({ id: 7, name: 'a.jpg', takenAt: 0 });
  });

  it.each(Object.keys(thrown) as (keyof typeof thrown)[])(
    '%s: the name and message of what the core threw',
    async (method) => {
      const expected = thrown[method]();
      const error = await failure((api()[method] as (input: unknown) => Promise<unknown>)(inputs[method]));
      expect({ name: error.name, message: error.message }).toEqual({
        name: expected.name,
        message: expected.message,
      });
      expect(error.method).toBe(method);
    },
  );

  it('an export that would replace files opens the "overwrite?" step of the export dialog', async () => {
    const error = await failure(
      api()['studio:export']({ versionIds: [1], formats: ['page', 'panels'], folder: '/home/me/Comics' }),
    );
    expect(isExportConflict(error)).toBe(true);
  });

  it('a payload the contract refuses is a BadRequestError naming the field', async () => {
    const error = await failure(api()['photos:get']({ id: -1 }));
    expect(error.name).toBe('BadRequestError');
    expect(error.message).toMatch(/photos:get.*id/);
  });
});

describe('expected errors', () => {
  it('are in the table under the names the core gives them', () => {
    for (const make of Object.values(thrown).slice(0, -1))
      expect(Object.keys(expectedErrors)).toContain(make().name);
  });

  it('are not logged as failures by either shell; a real failure is', () => {
    const failures = logged.map((args) => String(args[0]));
    expect(failures.filter((line) => line.includes('folders:rescan failed'))).toHaveLength(2);
    expect(failures.filter((line) => !line.includes('folders:rescan'))).toEqual([]);
  });
});
