import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';

/** The Electron binary, when this machine has one (`require('electron')` throws or points nowhere otherwise). */
function electronBinary(): string | null {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const root = resolve(import.meta.dirname, '..', '..');

describe('Electron app', () => {
  it.skipIf(!binary)(
    binary
      ? 'electron smoke: the built app opens its sandboxed window'
      : 'electron smoke (skipped: Electron binary not installed here)',
    async () => {
      if (
        !existsSync(join(root, 'out', 'main', 'index.js')) ||
        !existsSync(join(root, 'out', 'preload', 'index.cjs'))
      ) {
        throw new Error('The app is not built: run `npm run build` before this test (npm test does).');
      }
      const dataDir = await mkdtemp(join(tmpdir(), 'komorebi-electron-'));
      const args = [root];
      // Without a display, Chromium's headless platform; as root (CI containers) Chromium needs --no-sandbox.
      if (process.platform === 'linux' && !process.env.DISPLAY) args.unshift('--ozone-platform=headless');
      if (process.getuid?.() === 0) args.unshift('--no-sandbox');
      const app = await electron.launch({
        executablePath: binary!,
        args,
        env: { ...process.env, KOMOREBI_DATA_DIR: dataDir, ELECTRON_RENDERER_URL: '' },
        timeout: 60_000,
      });
      try {
        const window = await app.firstWindow();
        await window.waitForLoadState('domcontentloaded');
        expect(await window.title()).toBe('Komorebi');
        const exposed = await window.evaluate(() => {
          const bridge = (globalThis as unknown as { komorebi?: Record<string, unknown> }).komorebi;
          return {
            hasBridge: typeof bridge === 'object',
            functions: bridge ? Object.keys(bridge).filter((k) => typeof bridge[k] === 'function').length : 0,
            ipcRenderer: bridge ? 'ipcRenderer' in bridge : false,
            require: typeof (globalThis as { require?: unknown }).require,
            process: typeof (globalThis as { process?: unknown }).process,
          };
        });
        expect(exposed).toMatchObject({
          hasBridge: true,
          ipcRenderer: false,
          require: 'undefined',
          process: 'undefined',
        });
        expect(exposed.functions).toBeGreaterThan(5);
        const info = await window.evaluate(async () => {
          const bridge = (
            globalThis as unknown as { komorebi: Record<string, (i: unknown) => Promise<unknown>> }
          ).komorebi;
          return bridge['app:info']!({});
        });
        expect(info).toMatchObject({ shell: 'electron' });
      } finally {
        await app.close();
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  );
});
