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

        // The same rules as tests/electron/shell.test.ts, in the real window (no Node, above).
        const page = window.url();
        expect(page).toMatch(/^file:.*[/\\]out[/\\]renderer[/\\]index\.html/);
        const attempts = await window.evaluate(async () => {
          const w = globalThis as unknown as {
            document: {
              createElement(t: string): { textContent: string };
              head: { appendChild(n: unknown): void };
            };
            inlineRan?: boolean;
            open(url: string): unknown;
            komorebi: Record<string, (i: unknown) => Promise<unknown>>;
          };
          const script = w.document.createElement('script');
          script.textContent = 'globalThis.inlineRan = true';
          w.document.head.appendChild(script);
          const opened = w.open('https://example.com/');
          let refusal = '';
          try {
            await w.komorebi['folders:add']!({ path: 7 });
          } catch (error) {
            refusal = String((error as Error).message);
          }
          return { inlineRan: w.inlineRan === true, opened: opened === null, refusal };
        });
        expect(attempts).toMatchObject({ inlineRan: false, opened: true });
        expect(attempts.refusal).toMatch(/folders:add/);
        // A navigation away is refused: the same document answers afterwards.
        await window.evaluate(() => {
          (globalThis as unknown as { location: { href: string } }).location.href = 'file:///etc/passwd';
        });
        expect(
          await window.evaluate(
            () => (globalThis as unknown as { location: { href: string } }).location.href,
          ),
        ).toBe(page);
        expect(app.windows()).toHaveLength(1);
      } finally {
        await app.close();
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  );
});
