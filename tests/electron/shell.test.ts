// The Electron shell's real main module (src/main/index.ts with window.ts, security.ts, ipc.ts,
// csp.ts, protocol.ts and a real core) loaded with Electron's API replaced: the binary cannot be
// installed here. The stand-in records what the shell asks of Electron, and lets the test play
// the renderer, a hostile page and Electron's own events. Where the binary exists, smoke.test.ts
// checks the same in a real window.
import type { EventEmitter } from 'node:events';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { contentSecurityPolicy } from '../../src/main/csp';
import { apiMethods } from '../../src/shared/api';

/** What the shell did to the stand-in, for the assertions. */
const seen = vi.hoisted(() => ({
  sandboxEnabled: false,
  windows: [] as {
    options: { webPreferences: Record<string, unknown> };
    loaded: string[];
    contents: unknown;
  }[],
  ipc: new Map<string, (event: unknown, payload?: unknown) => Promise<unknown>>(),
  opened: [] as string[],
  quit: 0,
  session: {
    permissionRequest: null as null | ((c: unknown, p: string, cb: (ok: boolean) => void) => void),
    permissionCheck: null as null | (() => boolean),
    beforeRequest: null as null | ((d: { url: string }, cb: (r: { cancel: boolean }) => void) => void),
    headersReceived: null as
      | null
      | ((d: { url: string; responseHeaders?: Record<string, string[]> }, cb: (r: unknown) => void) => void),
    mediaHandler: null as null | ((request: Request) => Promise<Response>),
  },
}));

vi.mock('electron', async () => {
  const { EventEmitter } = await import('node:events');
  class FakeApp extends EventEmitter {
    isPackaged = false;
    name = 'Komorebi';
    setName(name: string) {
      this.name = name;
    }
    setPath() {}
    enableSandbox() {
      seen.sandboxEnabled = true;
    }
    requestSingleInstanceLock() {
      return true;
    }
    whenReady() {
      return Promise.resolve();
    }
    isReady() {
      return true;
    }
    getVersion() {
      return '0.0.0-test';
    }
    quit() {
      seen.quit += 1;
    }
    exit() {}
  }
  class FakeWebContents extends EventEmitter {
    sent: [string, unknown][] = [];
    openHandler: ((details: { url: string }) => { action: string }) | null = null;
    send(channel: string, payload: unknown) {
      this.sent.push([channel, payload]);
    }
    isDestroyed() {
      return false;
    }
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      this.openHandler = handler;
    }
  }
  class FakeBrowserWindow extends EventEmitter {
    static getFocusedWindow() {
      return null;
    }
    webContents = new FakeWebContents();
    record: { options: { webPreferences: Record<string, unknown> }; loaded: string[]; contents: unknown };
    constructor(options: { webPreferences: Record<string, unknown> }) {
      super();
      this.record = { options, loaded: [], contents: this.webContents };
      seen.windows.push(this.record);
      // Electron emits web-contents-created for every new WebContents.
      app.emit('web-contents-created', {}, this.webContents);
    }
    loadFile(file: string) {
      this.record.loaded.push(`file:${file}`);
      return Promise.resolve();
    }
    loadURL(url: string) {
      this.record.loaded.push(url);
      return Promise.resolve();
    }
    isDestroyed() {
      return false;
    }
    isMinimized() {
      return false;
    }
    focus() {}
    restore() {}
    show() {}
  }
  const app = new FakeApp();
  const defaultSession = {
    setPermissionRequestHandler: (h: never) => {
      seen.session.permissionRequest = h;
    },
    setPermissionCheckHandler: (h: never) => {
      seen.session.permissionCheck = h;
    },
    setDevicePermissionHandler: () => {},
    webRequest: {
      onBeforeRequest: (h: never) => {
        seen.session.beforeRequest = h;
      },
      onHeadersReceived: (h: never) => {
        seen.session.headersReceived = h;
      },
    },
    protocol: {
      handle: (_scheme: string, h: never) => {
        seen.session.mediaHandler = h;
      },
    },
  };
  return {
    app,
    BrowserWindow: FakeBrowserWindow,
    dialog: { showOpenDialog: async () => ({ canceled: true, filePaths: [] }), showErrorBox: () => {} },
    ipcMain: {
      handle: (channel: string, listener: never) => seen.ipc.set(channel, listener),
      removeHandler: (channel: string) => seen.ipc.delete(channel),
    },
    safeStorage: {
      isEncryptionAvailable: () => false,
      encryptString: () => Buffer.alloc(0),
      decryptString: () => '',
      getSelectedStorageBackend: () => 'basic_text',
    },
    session: { defaultSession },
    shell: {
      openExternal: async (url: string) => {
        seen.opened.push(url);
      },
      trashItem: async () => {},
    },
    protocol: { registerSchemesAsPrivileged: () => {} },
    Menu: { setApplicationMenu: () => {}, buildFromTemplate: (t: unknown) => t },
  };
});

type FakeContents = EventEmitter & {
  sent: [string, unknown][];
  openHandler: ((details: { url: string }) => { action: string }) | null;
};

const rendererDir = resolve(import.meta.dirname, '..', '..', 'src', 'renderer');
const appPage = pathToFileURL(join(rendererDir, 'index.html')).href;
const topFrame = { url: appPage, parent: null };
let dataDir: string;
let electronApp: EventEmitter;

function invoke(method: string, frame: unknown, payload: unknown = {}) {
  const handler = seen.ipc.get(method);
  if (!handler) throw new Error(`no IPC handler for ${method}`);
  return handler({ senderFrame: frame }, payload) as Promise<
    { ok: true; value: unknown } | { ok: false; error: { name: string; message: string } }
  >;
}

/** A navigation-like event as Electron passes it; says whether the shell prevented it. */
function navigate(contents: FakeContents, name: string, url: string, extra: object = {}): boolean {
  let prevented = false;
  contents.emit(name, { url, ...extra, preventDefault: () => (prevented = true) });
  return prevented;
}

beforeAll(async () => {
  dataDir = realpathSync(mkdtempSync(join(tmpdir(), 'komorebi-shell-')));
  vi.stubEnv('KOMOREBI_DATA_DIR', dataDir);
  vi.stubEnv('ELECTRON_RENDERER_URL', '');
  await import('../../src/main/index');
  electronApp = (await import('electron')).app as unknown as EventEmitter;
  const until = Date.now() + 60_000;
  while (seen.windows.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  if (seen.windows.length === 0) throw new Error('The shell did not open its window');
}, 90_000);

afterAll(async () => {
  // Quitting closes the core first: before-quit is held until it has.
  const quits = seen.quit;
  electronApp?.emit('before-quit', { preventDefault: () => {} });
  const until = Date.now() + 30_000;
  while (seen.quit === quits && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  vi.unstubAllEnvs();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the window', () => {
  it('is sandboxed and isolated, with no Node in any frame or worker, and loads only the app page', () => {
    expect(seen.sandboxEnabled).toBe(true);
    const [window] = seen.windows;
    expect(window!.options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(String(window!.options.webPreferences.preload)).toMatch(/preload[/\\]index\.cjs$/);
    expect(window!.loaded).toEqual([`file:${join(rendererDir, 'index.html')}`]);
  });

  it('gets the CSP as a header on the app page, replacing any other, and leaves other responses alone', () => {
    let answer: { responseHeaders?: Record<string, string[]> } | undefined;
    seen.session.headersReceived!(
      {
        url: appPage,
        responseHeaders: { 'content-security-policy': ["default-src *; script-src 'unsafe-inline'"] },
      },
      (r) => {
        answer = r as typeof answer;
      },
    );
    const headers = answer!.responseHeaders!;
    expect(headers['Content-Security-Policy']).toEqual([contentSecurityPolicy()]);
    expect(headers['content-security-policy']).toBeUndefined();
    expect(headers['Content-Security-Policy']![0]).toContain("script-src 'self'");
    expect(headers['Content-Security-Policy']![0]).not.toContain('unsafe-inline');
    expect(headers['Content-Security-Policy']![0]).toContain("frame-ancestors 'none'");
    let other: unknown;
    seen.session.headersReceived!({ url: 'https://example.com/', responseHeaders: {} }, (r) => {
      other = r;
    });
    expect(other).toEqual({});
  });

  it('loads nothing but its own files, media://local and inline data, and grants no permission', () => {
    const cancelled = (url: string) => {
      let verdict: boolean | undefined;
      seen.session.beforeRequest!({ url }, (r) => {
        verdict = r.cancel;
      });
      return verdict;
    };
    expect(cancelled(appPage)).toBe(false);
    expect(cancelled(pathToFileURL(join(rendererDir, 'assets', 'index.js')).href)).toBe(false);
    expect(cancelled('media://local/thumbs/ab/ab_s.webp')).toBe(false);
    for (const url of [
      'https://evil.example/x.js',
      'file:///etc/passwd',
      'media://local.evil/x',
      'ws://127.0.0.1:1/',
    ]) {
      expect(cancelled(url), url).toBe(true);
    }
    let granted: boolean | undefined;
    seen.session.permissionRequest!({}, 'media', (ok) => {
      granted = ok;
    });
    expect(granted).toBe(false);
    expect(seen.session.permissionCheck!()).toBe(false);
  });

  it('never navigates away, opens web links in the browser and never opens a window', () => {
    const contents = seen.windows[0]!.contents as FakeContents;
    expect(navigate(contents, 'will-navigate', appPage)).toBe(false);
    for (const event of ['will-navigate', 'will-redirect']) {
      expect(navigate(contents, event, 'https://evil.example/phish'), event).toBe(true);
      expect(navigate(contents, event, 'file:///etc/passwd'), event).toBe(true);
      expect(navigate(contents, event, 'javascript:alert(1)'), event).toBe(true);
    }
    expect(navigate(contents, 'will-frame-navigate', 'https://evil.example/', { isMainFrame: false })).toBe(
      true,
    );
    expect(navigate(contents, 'will-attach-webview', 'https://evil.example/')).toBe(true);
    expect(contents.openHandler!({ url: 'https://example.com/help' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'smb://server/share' })).toEqual({ action: 'deny' });
    // Only plain web links reached the user's browser, never file:, javascript: or smb:.
    expect(seen.opened).toEqual([
      'https://evil.example/phish',
      'https://evil.example/phish',
      'https://example.com/help',
    ]);
  });
});

describe('IPC', () => {
  it('serves every Api method, and answers the app page through the real core', async () => {
    expect([...seen.ipc.keys()].sort()).toEqual([...apiMethods].sort());
    expect(await invoke('app:info', topFrame)).toMatchObject({
      ok: true,
      value: { shell: 'electron', dataDir },
    });
  });

  it('ignores calls from an unexpected frame: a subframe, another page, no frame', async () => {
    const photos = mkdtempSync(join(tmpdir(), 'komorebi-shell-photos-'));
    try {
      for (const frame of [
        { url: appPage, parent: topFrame },
        { url: 'https://evil.example/', parent: null },
        { url: pathToFileURL('/tmp/evil/index.html').href, parent: null },
        { url: `${appPage}.evil`, parent: null },
        null,
      ]) {
        const answer = await invoke('folders:add', frame, { path: photos });
        expect(answer, JSON.stringify(frame)).toMatchObject({ ok: false, error: { name: 'ForbiddenError' } });
      }
      // None of them reached the core.
      expect(await invoke('folders:list', topFrame)).toEqual({ ok: true, value: [] });
    } finally {
      rmSync(photos, { recursive: true, force: true });
    }
  });

  it('validates payloads before the core sees them', async () => {
    const answer = await invoke('folders:add', topFrame, { path: '/tmp', extra: true });
    expect(answer).toMatchObject({ ok: false, error: { name: 'BadRequestError' } });
  });

  it('sends the core events to the window on event:<name> channels only', async () => {
    const contents = seen.windows[0]!.contents as FakeContents;
    const photos = mkdtempSync(join(tmpdir(), 'komorebi-shell-photos-'));
    try {
      expect(await invoke('folders:add', topFrame, { path: photos })).toMatchObject({ ok: true });
      const until = Date.now() + 10_000;
      while (!contents.sent.some(([c]) => c === 'event:folders:changed') && Date.now() < until)
        await new Promise((r) => setTimeout(r, 20));
      expect(contents.sent.map(([c]) => c)).toContain('event:folders:changed');
      expect(contents.sent.every(([c]) => /^event:[a-z]+:[a-z-]+$/.test(c))).toBe(true);
    } finally {
      rmSync(photos, { recursive: true, force: true });
    }
  });

  it('serves media://local through the same gate as browser mode', async () => {
    const refused = await seen.session.mediaHandler!(
      new Request('media://local/folder/1/..%2F..%2Fetc%2Fpasswd'),
    );
    expect(refused.status).toBe(404);
  });
});
