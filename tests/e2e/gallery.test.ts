// Issue 2 end to end: a user adds a folder in browser mode and sees every photo with its
// thumbnail; a new file dropped into the folder appears without a reload; multi-select works.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openBrowser,
  type RunningApp,
  type RunningBrowser,
  startApp,
  waitUntil,
  writePhotos,
} from './harness';

let app: RunningApp;
let browser: RunningBrowser;
let photosDir: string;

beforeAll(async () => {
  photosDir = mkdtempSync(join(tmpdir(), 'komorebi-e2e-photos-'));
  await writePhotos(photosDir, 8);
  app = await startApp();
  browser = await openBrowser(app.url);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  rmSync(photosDir, { recursive: true, force: true });
});

describe('gallery in browser mode', () => {
  it('adds a folder from Settings and shows every photo with its thumbnail', async () => {
    const { page } = browser;
    await page.getByTestId('nav-settings').click();
    // The filesystem root and system folders are refused, and the window says why.
    for (const [refused, reason] of [
      ['/', 'root of the file system'],
      ['/etc', 'system folder /etc'],
    ] as const) {
      await page.getByTestId('folder-path-input').fill(refused);
      await page.getByTestId('folder-add-button').click();
      await waitUntil(
        async () => ((await page.getByTestId('folder-error').textContent()) ?? '').includes(reason),
        `the refusal of ${refused} shown`,
      );
      expect(await page.getByTestId('folder-row').count()).toBe(0);
    }
    // The browser logs each refused call as a failed request (422); those were expected.
    const unexpected = browser.errors.filter((e) => !/status of 422/.test(e));
    browser.errors.splice(0, browser.errors.length, ...unexpected);
    await page.getByTestId('folder-path-input').fill(photosDir);
    await page.getByTestId('folder-add-button').click();
    await page.getByTestId('folder-row').first().waitFor();

    await page.getByTestId('nav-gallery').click();
    await waitUntil(async () => (await page.getByTestId('photo-tile').count()) === 8, '8 tiles');
    // Every tile ends up showing its thumbnail: fetched in batches from /media/batch, decoded by
    // the browser and drawn into the tile's canvas (opaque pixels of the photo, not an empty canvas).
    await waitUntil(
      () =>
        page.evaluate(() => {
          const shown = [
            ...document.querySelectorAll<HTMLCanvasElement>('[data-testid="photo-tile"] canvas'),
          ];
          const opaque = (canvas: HTMLCanvasElement) => {
            const probe = document.createElement('canvas');
            probe.width = canvas.width;
            probe.height = canvas.height;
            const context = probe.getContext('2d')!;
            context.drawImage(canvas, 0, 0);
            return context.getImageData(canvas.width >> 1, canvas.height >> 1, 1, 1).data[3] === 255;
          };
          const batched = performance
            .getEntriesByType('resource')
            .some((e) => e.name.includes('/media/batch?'));
          return (
            batched &&
            shown.length === 8 &&
            shown.every((c) => c.dataset.state === 'shown' && c.width > 0 && opaque(c))
          );
        }),
      'thumbnails loaded',
    );
  });

  it('tells the core which photos are on screen once the view rests (they are indexed first)', async () => {
    const { page } = browser;
    const reload = page.reload();
    const request = await page.waitForRequest((r) => r.url().endsWith('/api/photos:visible'), {
      timeout: 30_000,
    });
    await reload;
    const sent = (JSON.parse(request.postData() ?? '{}') as { ids: number[] }).ids;
    await page.getByTestId('photo-tile').first().waitFor();
    const shown = await page
      .getByTestId('photo-tile')
      .evaluateAll((tiles) => tiles.map((t) => Number((t as HTMLElement).dataset.photoId)));
    expect([...sent].sort()).toEqual([...shown].sort());
  });

  it('shows a file dropped into the watched folder without a reload', async () => {
    const { page } = browser;
    await writePhotos(photosDir, 1, 50);
    await waitUntil(
      async () => (await page.getByTestId('photo-tile').count()) === 9,
      'the new photo in the gallery',
      30_000,
    );
  });

  it('selects with click, Ctrl-click, Shift-click and select-all', async () => {
    const { page } = browser;
    const tiles = page.getByTestId('photo-tile');
    const count = page.getByTestId('selection-count');
    await tiles.nth(0).click();
    await expect.poll(() => count.getAttribute('data-count')).toBe('1');
    await tiles.nth(2).click({ modifiers: ['Control'] });
    await expect.poll(() => count.getAttribute('data-count')).toBe('2');
    await tiles.nth(5).click({ modifiers: ['Shift'] });
    // Shift extends from the last clicked photo (tile 2) to tile 5.
    const selected = await tiles.evaluateAll((els) =>
      els.map((e) => e.getAttribute('aria-selected') === 'true'),
    );
    expect(selected.slice(2, 6)).toEqual([true, true, true, true]);
    expect(selected[1]).toBe(false);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+a');
    await expect.poll(() => count.getAttribute('data-count')).toBe('9');
    expect(browser.errors).toEqual([]);
  });
});
