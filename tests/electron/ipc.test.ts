import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type IpcInvokeEventLike, type IpcMainLike, IpcNotifier, registerApi } from '../../src/main/ipc';
import { type AppOrigin, isAppPage } from '../../src/main/url-trust';
import { type ApiHandlers, apiMethods } from '../../src/shared/api';

// Electron's ipcMain cannot run here (no Electron binary); this stand-in keeps the same
// handle/removeHandler contract so the real registration, checks and validation run.
class IpcMainStandIn implements IpcMainLike {
  readonly listeners = new Map<string, (event: IpcInvokeEventLike, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => unknown): void {
    if (this.listeners.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.listeners.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.listeners.delete(channel);
  }
  invoke(channel: string, frame: IpcInvokeEventLike['senderFrame'], payload?: unknown): Promise<unknown> {
    const listener = this.listeners.get(channel);
    if (!listener) throw new Error(`No handler registered for '${channel}'`);
    return Promise.resolve(listener({ senderFrame: frame }, payload));
  }
}

const app: AppOrigin = { kind: 'file', rendererDir: '/opt/komorebi/out/renderer' };
const appUrl = pathToFileURL('/opt/komorebi/out/renderer/index.html').href;
const top = { url: appUrl, parent: null };

function setup() {
  const calls: unknown[] = [];
  const handlers = {
    'photos:get': async (input: { id: number }) => {
      calls.push(input);
      return null;
    },
    'folders:add': async ({ path }: { path: string }) => {
      throw new Error(`The folder ${path} does not exist. Check the path and try again.`);
    },
  } as unknown as ApiHandlers;
  const ipc = new IpcMainStandIn();
  const unregister = registerApi(ipc, handlers, (url) => isAppPage(url, app));
  return { ipc, calls, unregister };
}

describe('registerApi', () => {
  it('registers one handler per Api method and removes them all', () => {
    const { ipc, unregister } = setup();
    expect([...ipc.listeners.keys()].sort()).toEqual([...apiMethods].sort());
    unregister();
    expect(ipc.listeners.size).toBe(0);
  });

  it('answers a call from the app page with {ok:true,value} after validating it', async () => {
    const { ipc, calls } = setup();
    expect(await ipc.invoke('photos:get', top, { id: 7 })).toEqual({ ok: true, value: null });
    expect(calls).toEqual([{ id: 7 }]);
  });

  it('refuses senders that are not the top frame of the app page, without calling the handler', async () => {
    const { ipc, calls } = setup();
    for (const frame of [
      null,
      { url: appUrl, parent: { url: appUrl } },
      { url: 'file:///tmp/evil.html', parent: null },
      { url: 'https://evil.example/', parent: null },
      { url: 'file:///opt/komorebi/out/renderer-evil/index.html', parent: null },
      { url: 'data:text/html,x', parent: null },
    ]) {
      const result = (await ipc.invoke('photos:get', frame, { id: 1 })) as {
        ok: boolean;
        error: { name: string };
      };
      expect(result.ok, JSON.stringify(frame)).toBe(false);
      expect(result.error.name).toBe('ForbiddenError');
    }
    expect(calls).toEqual([]);
  });

  it('returns schema failures as BadRequestError with the reason', async () => {
    const { ipc, calls } = setup();
    const result = await ipc.invoke('photos:get', top, { id: -1, extra: 'x' });
    expect(result).toMatchObject({ ok: false, error: { name: 'BadRequestError' } });
    expect((result as { error: { message: string } }).error.message).toMatch(/photos:get.*id/);
    expect(calls).toEqual([]);
  });

  it('carries a handler error name and message across as data', async () => {
    const { ipc } = setup();
    expect(await ipc.invoke('folders:add', top, { path: '/nowhere' })).toEqual({
      ok: false,
      error: { name: 'Error', message: 'The folder /nowhere does not exist. Check the path and try again.' },
    });
  });
});

describe('IpcNotifier', () => {
  it('sends each event on event:<name> to live windows and forgets destroyed ones', () => {
    const sent: [string, unknown][] = [];
    let destroyed = false;
    const window = { send: (c: string, p: unknown) => sent.push([c, p]), isDestroyed: () => destroyed };
    const notifier = new IpcNotifier();
    notifier.attach(window);
    const payload = { added: 1, removed: 0, updated: 0, folderIds: [2] };
    notifier.emit('library:changed', payload);
    expect(sent).toEqual([['event:library:changed', payload]]);
    destroyed = true;
    notifier.emit('library:changed', payload);
    expect(sent).toHaveLength(1);
  });
});
