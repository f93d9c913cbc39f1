import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS } from '../../scripts/chromium';
import { type Fixture, startFixture } from './helpers';

// The security model in a real browser: the cookie set from ?token= carries same-origin calls,
// images and the event stream; the CSP stops inline script; and a page on another port of the
// same machine (same-site, so the SameSite=Strict cookie IS sent) cannot make the server act.
const haveChromium = existsSync(CHROMIUM);

let f: Fixture;
let browser: Browser;
let evil: Server;
let evilPort: number;
let pauses = 0;

beforeAll(async () => {
  if (!haveChromium) return;
  f = await startFixture({
    'photos:list': async () => ({ total: 0, offset: 0, items: [] }),
    'jobs:pause': async () => {
      pauses++;
      return {} as never;
    },
  });
  await writeFile(
    join(f.rendererDir, 'index.html'),
    `<!doctype html><title>Komorebi</title>
     <script>window.inlineRan = true</script>
     <script type="module" src="./assets/app.js"></script>
     <img id="photo" src="/media/folder/1/trip/beach.jpg">`,
  );
  await writeFile(
    join(f.rendererDir, 'assets', 'app.js'),
    `window.results = {};
     const es = new EventSource('/api/events');
     es.onopen = () => { window.results.sseOpen = true; };
     es.addEventListener('library:changed', (e) => { window.results.event = JSON.parse(e.data); });
     const r = await fetch('/api/photos:list', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
     window.results.api = r.status;`,
  );
  evil = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><title>evil</title>
      <img id="stolen" src="http://127.0.0.1:${f.port}/media/folder/1/trip/beach.jpg">
      <script>
        window.done = Promise.allSettled([
          fetch('http://127.0.0.1:${f.port}/api/jobs:pause', { method: 'POST', mode: 'no-cors', credentials: 'include', body: '{}' }),
          fetch('http://127.0.0.1:${f.port}/api/jobs:pause', { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body: '{}' }),
        ]).then((r) => r.map((x) => x.status));
      </script>`);
  });
  await new Promise<void>((r) => evil.listen(0, '127.0.0.1', () => r()));
  evilPort = (evil.address() as AddressInfo).port;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => (evil ? evil.close(r) : r(null)));
  await f?.cleanup();
});

/** The page's globals this test reads (no DOM lib in this tsconfig: plain shapes). */
type PageGlobals = {
  results?: { api?: number; sseOpen?: boolean; event?: unknown };
  inlineRan?: boolean;
  crossOriginIsolated: boolean;
  done: Promise<unknown>;
  document: { getElementById(id: string): { naturalWidth: number; complete: boolean } };
};

describe.skipIf(!haveChromium)('browser mode in Chromium', () => {
  it('admits the page by cookie after ?token=, loads images and events, and blocks inline script', async () => {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${f.port}/?token=${f.token}`);
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).results?.sseOpen);
    f.events.emit('library:changed', { added: 1, removed: 0, updated: 0, folderIds: [1] });
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).results?.event);
    const state = await page.evaluate(() => {
      const w = globalThis as unknown as PageGlobals;
      const img = w.document.getElementById('photo');
      return {
        ...w.results,
        inlineRan: w.inlineRan ?? false,
        imageWidth: img.naturalWidth,
        isolated: w.crossOriginIsolated,
      };
    });
    // Isolated, and the image and the event stream still load under require-corp.
    expect(state).toMatchObject({
      api: 200,
      sseOpen: true,
      inlineRan: false,
      imageWidth: 32,
      isolated: true,
    });
    expect(state.event).toEqual({ added: 1, removed: 0, updated: 0, folderIds: [1] });
    await page.close();
  });

  it('refuses a page on another local port even though the browser sends the cookie', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${f.port}/?token=${f.token}`); // the user's own tab: the cookie is set
    expect((await context.cookies()).map((c) => c.name)).toContain(`komorebi_token_${f.port}`);
    await page.goto(`http://127.0.0.1:${evilPort}/`);
    await page.evaluate(() => (globalThis as unknown as PageGlobals).done);
    await page.waitForFunction(
      () => (globalThis as unknown as PageGlobals).document.getElementById('stolen').complete,
    );
    expect(
      await page.evaluate(
        () => (globalThis as unknown as PageGlobals).document.getElementById('stolen').naturalWidth,
      ),
    ).toBe(0);
    expect(pauses).toBe(0);
    await context.close();
  });
});
