// "Find similar", "More like these" and Duplicates end to end: a folder of generated photos
// (distinct scenes, an edited copy of one, an exact copy of another) is indexed by the real
// app in browser mode with the offline model, then a user drives the window in Chromium.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LibraryStatus } from '../../src/shared/model';
import {
  chromiumAvailable,
  openBrowser,
  type RunningApp,
  type RunningBrowser,
  scene,
  startApp,
  waitForIdle,
  waitUntil,
  writePhotos,
} from './harness';

const SCENES = 5;
const FILES = SCENES + 2;
/** Set to a folder to keep screenshots of each step (for looking at the views). */
const shots = process.env.KOMOREBI_E2E_SCREENSHOTS;

let root: string;
let photosDir: string;
let app: RunningApp;
let browser: RunningBrowser;
const ids = new Map<string, number>();
/** The edited copy's score against its original, as the Similar view showed it. */
let editScore = 0;

async function shot(name: string): Promise<void> {
  if (!shots) return;
  mkdirSync(shots, { recursive: true });
  await browser.page.screenshot({ path: join(shots, `${name}.png`) });
}

const tile = (name: string): Locator =>
  browser.page.locator(`[data-testid="photo-tile"][data-photo-id="${ids.get(name)}"]`);

async function hitIds(): Promise<number[]> {
  return browser.page
    .getByTestId('similar-hit')
    .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-photo-id'))));
}

beforeAll(async () => {
  if (!chromiumAvailable()) throw new Error('Chromium is missing at /usr/bin/chromium: run `npm run setup`.');
  root = mkdtempSync(join(tmpdir(), 'komorebi-e2e-similar-'));
  photosDir = join(root, 'photos');
  mkdirSync(join(photosDir, 'edits'), { recursive: true });
  for (let i = 1; i <= SCENES; i++) {
    writeFileSync(
      join(photosDir, `scene-${i}.jpg`),
      await (await scene(i * 31)).jpeg({ quality: 90 }).toBuffer(),
    );
  }
  // The edited copy of scene 1: cropped, resized, brightened and re-encoded as WebP.
  const edited = await (await scene(31))
    .extract({ left: 16, top: 12, width: 600, height: 450 })
    .resize(360)
    .modulate({ brightness: 1.12 })
    .webp({ quality: 70 })
    .toBuffer();
  writeFileSync(join(photosDir, 'edits', 'scene-1-edit.webp'), edited);
  // The same bytes as scene 2 in another place: an exact duplicate.
  copyFileSync(join(photosDir, 'scene-2.jpg'), join(photosDir, 'edits', 'scene-2-copy.jpg'));

  // Trashed files go to a Trash inside this test's folder, never the machine's own.
  const home = join(root, 'home');
  mkdirSync(home);
  app = await startApp({ env: { HOME: home, XDG_DATA_HOME: join(home, 'data') } });
  await app.api('folders:add', { path: photosDir });
  await waitForIdle(app, FILES);
  const page = await app.api<{ items: { id: number; name: string }[] }>('photos:list', {
    offset: 0,
    limit: 100,
  });
  for (const p of page.items) ids.set(p.name, p.id);
  browser = await openBrowser(app.url);
  await waitUntil(async () => (await browser.page.getByTestId('photo-tile').count()) === FILES, 'every tile');
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('find similar in the window', () => {
  it('puts the edited copy first, with its score, when the user picks "Find similar"', async () => {
    const { page } = browser;
    // Before any search the view says how to start one.
    await page.getByTestId('nav-similar').click();
    await page.getByTestId('similar-start').waitFor();
    await shot('00-similar-start');
    await page.getByTestId('nav-gallery').click();
    await tile('scene-1.jpg').click({ button: 'right' });
    await shot('01-menu');
    await page.locator('[data-menu-item="find-similar"]').click();
    await page.getByTestId('similar-view').waitFor();
    await page.getByTestId('similar-hit').first().waitFor();
    await shot('02-similar');

    const query = page.getByTestId('similar-query');
    expect(
      await query
        .locator('[data-photo-id]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-photo-id'))),
    ).toEqual([String(ids.get('scene-1.jpg'))]);
    const first = page.getByTestId('similar-hit').first();
    expect(Number(await first.getAttribute('data-photo-id'))).toBe(ids.get('scene-1-edit.webp'));
    const score = Number(await first.getAttribute('data-score'));
    expect(score).toBeGreaterThan(0.8);
    editScore = score;
    expect(await first.getByTestId('similar-score').textContent()).toBe(score.toFixed(2));
    // Best first, and never the photo itself.
    const scores = await page
      .getByTestId('similar-hit')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-score'))));
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(await hitIds()).not.toContain(ids.get('scene-1.jpg'));
  });

  it('hides every hit when the slider goes above the top score, and shows them again below it', async () => {
    const { page } = browser;
    const slider = page.getByTestId('similar-threshold');
    const top = Number(await page.getByTestId('similar-hit').first().getAttribute('data-score'));
    await slider.fill(String(Math.min(1, Math.ceil((top + 0.005) * 100) / 100)));
    await expect.poll(() => page.getByTestId('similar-hit').count()).toBe(0);
    await page.getByTestId('similar-empty-hits').waitFor();
    await shot('03-threshold');
    // Below every score the core was asked for: the view asks again and shows the rest.
    await slider.fill('0');
    // Every other photo: the exact copy of scene 2 shares its picture, so it is one hit.
    await expect.poll(() => page.getByTestId('similar-hit').count()).toBe(SCENES);
  });

  it('continues from a result and goes back to the previous search', async () => {
    const { page } = browser;
    const edit = ids.get('scene-1-edit.webp');
    await page
      .locator(`[data-testid="similar-hit"][data-photo-id="${edit}"]`)
      .getByTestId('similar-continue')
      .click();
    await expect
      .poll(() =>
        page.getByTestId('similar-query').locator('[data-photo-id]').first().getAttribute('data-photo-id'),
      )
      .toBe(String(edit));
    await expect.poll(async () => (await hitIds())[0]).toBe(ids.get('scene-1.jpg'));
    await page.getByTestId('similar-back').click();
    await expect.poll(async () => (await hitIds())[0]).toBe(edit);
    expect(await page.getByTestId('similar-back').count()).toBe(0);
  });

  it('opens a result large in the lightbox', async () => {
    const { page } = browser;
    await page.getByTestId('similar-hit').first().locator('.similar-hit-image').click();
    await page.getByTestId('lightbox').waitFor();
    await shot('03b-lightbox');
    expect(await page.getByTestId('lightbox').getAttribute('data-photo-id')).toBe(
      String(ids.get('scene-1-edit.webp')),
    );
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('lightbox').count()).toBe(0);
  });

  it('finds "More like these" for two selected photos, leaving both out of the results', async () => {
    const { page } = browser;
    await page.getByTestId('nav-gallery').click();
    await tile('scene-3.jpg').click();
    await tile('scene-4.jpg').click({ modifiers: ['Control'] });
    await tile('scene-4.jpg').click({ button: 'right' });
    await page.locator('[data-menu-item="more-like-these"]').click();
    await page.getByTestId('similar-view').waitFor();
    await expect.poll(() => page.getByTestId('similar-query').getAttribute('data-count')).toBe('2');
    await page.getByTestId('similar-hit').first().waitFor();
    await shot('04-more-like-these');
    const found = await hitIds();
    expect(found.length).toBeGreaterThan(0);
    expect(found).not.toContain(ids.get('scene-3.jpg'));
    expect(found).not.toContain(ids.get('scene-4.jpg'));
  });

  it('starts Find similar from the keyboard with S on the selected photo', async () => {
    const { page } = browser;
    await page.getByTestId('nav-gallery').click();
    await tile('scene-1-edit.webp').click();
    await page.keyboard.press('s');
    await page.getByTestId('similar-view').waitFor();
    await expect.poll(async () => (await hitIds())[0]).toBe(ids.get('scene-1.jpg'));
    expect(browser.errors).toEqual([]);
  });
});

describe('duplicates in the window', () => {
  it('groups the exact copy and the look-alike, marks the suggested copy to keep', async () => {
    const { page } = browser;
    await page.getByTestId('nav-duplicates').click();
    await page.getByTestId('duplicates-view').waitFor();
    const exact = page.locator('[data-testid="duplicate-group"][data-kind="exact"]');
    await exact.waitFor();
    // Just below the edited copy's score, so it and its original count as look-alikes.
    await page.getByTestId('duplicates-threshold').fill(String(Math.floor((editScore - 0.01) * 100) / 100));
    const near = page.locator('[data-testid="duplicate-group"][data-kind="near"]');
    await near.first().waitFor();
    await shot('05-duplicates');
    expect(await exact.textContent()).toContain('Same file in 2 places');
    const exactIds = await exact
      .getByTestId('duplicate-photo')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-photo-id'))));
    expect(exactIds.sort()).toEqual([ids.get('scene-2.jpg'), ids.get('scene-2-copy.jpg')].sort());
    expect(await near.first().textContent()).toContain('Look alike');
    const nearIds = await near
      .first()
      .getByTestId('duplicate-photo')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-photo-id'))));
    expect(nearIds.sort()).toEqual([ids.get('scene-1.jpg'), ids.get('scene-1-edit.webp')].sort());
    // The original is larger than the edit: the one to keep.
    expect(await near.first().locator('[data-keep]').getAttribute('data-photo-id')).toBe(
      String(ids.get('scene-1.jpg')),
    );
    // A copy opens large.
    await near.first().locator('.duplicate-open').first().click();
    await page.getByTestId('lightbox').waitFor();
    expect(nearIds).toContain(Number(await page.getByTestId('lightbox').getAttribute('data-photo-id')));
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('lightbox').count()).toBe(0);
    // One "Keep" per group; every other copy is ticked.
    for (const group of await page.getByTestId('duplicate-group').all()) {
      expect(await group.locator('[data-testid="duplicate-photo"][data-keep]').count()).toBe(1);
      expect(await group.locator('[data-testid="duplicate-photo"][data-keep] input').isChecked()).toBe(false);
    }
  });

  it('moves the ticked copies to the Trash only after the confirmation', async () => {
    const { page } = browser;
    // Keep only the exact copy ticked.
    for (const box of await page.locator('[data-kind="near"] [data-testid="duplicate-mark"]').all()) {
      if (await box.isChecked()) await box.uncheck();
    }
    const exact = page.locator('[data-testid="duplicate-group"][data-kind="exact"]');
    const ticked = exact.locator('[data-testid="duplicate-photo"]:not([data-keep])');
    const goingId = Number(await ticked.getAttribute('data-photo-id'));
    const goingName = [...ids].find(([, id]) => id === goingId)![0];

    await page.getByTestId('trash-button').click();
    const dialog = page.getByTestId('confirm-dialog');
    await dialog.waitFor();
    await shot('06-trash-confirm');
    expect(await dialog.textContent()).toContain('Move 1 file to the Trash?');
    expect(await dialog.textContent()).toContain('restore them from the Trash');
    // Cancel first: nothing moves.
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(readdirSync(photosDir, { recursive: true }).map(String)).toContain(
      goingName === 'scene-2.jpg' ? 'scene-2.jpg' : join('edits', 'scene-2-copy.jpg'),
    );

    await page.getByTestId('trash-button').click();
    await page.getByTestId('confirm-button').click();
    await page.getByTestId('trash-outcome').waitFor();
    expect(await page.getByTestId('trash-outcome').textContent()).toContain('Moved 1 file to the Trash');
    const trashFiles = join(root, 'home', 'data', 'Trash', 'files');
    await waitUntil(
      () => existsSync(trashFiles) && readdirSync(trashFiles).length === 1,
      'the file in the Trash',
    );
    await expect
      .poll(() => page.locator('[data-testid="duplicate-group"][data-kind="exact"]').count())
      .toBe(0);
    expect(browser.errors).toEqual([]);
  });
});

describe('search settings', () => {
  it('shows the active model, the offline-model notice and the vector store status', async () => {
    const { page } = browser;
    await page.getByTestId('nav-settings').click();
    await page.locator('[data-testid="model-row"][data-active]').waitFor();
    await page.getByTestId('offline-model-notice').waitFor();
    const status = page.getByTestId('vector-status');
    await status.waitFor();
    expect(await status.getAttribute('data-state')).toBe('ready');
    await page.locator('[data-testid="vector-store-kind"] input[value="milvus"]').check();
    await page.getByTestId('milvus-uri').fill('http://127.0.0.1:9');
    await page.getByTestId('test-connection').click();
    await page.getByTestId('test-result').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('test-result').getAttribute('class')).toContain('field-error');
    await page.getByTestId('vector-store-settings').scrollIntoViewIfNeeded();
    await shot('08-vector-store');
    await page.getByTestId('model-settings').scrollIntoViewIfNeeded();
    await shot('07-settings');
  });
});

describe('a photo that is not indexed yet', () => {
  it('says so, then shows its hits by themselves once indexing gets to it', async () => {
    const { page } = browser;
    // A batch of new photos, more than fit on screen: they are read before the ones off screen are
    // embedded (ingest comes first).
    const batch = join(root, 'batch');
    await writePhotos(batch, 240, 100);
    await page.getByTestId('nav-gallery').click();
    await app.api('folders:add', { path: batch });
    const known = new Set(ids.values());
    const first = page.getByTestId('photo-tile').first();
    await waitUntil(
      async () => !known.has(Number(await first.getAttribute('data-photo-id'))),
      'a new photo at the top of the gallery',
    );
    // The photos on screen are indexed first, fast enough to be done before a key press, so the
    // test holds indexing (Pause in Activity) and scrolls to a new photo indexing has not reached.
    await app.api('jobs:pause');
    // Work already started finishes; only then is "not indexed" going to stay true.
    await waitUntil(async () => {
      const status = await app.api<LibraryStatus>('library:status');
      return Object.values(status.jobs).every((counts) => counts.running === 0);
    }, 'the work in hand to finish');
    const checked = new Set<number>();
    let waiting: number | undefined;
    for (let turn = 0; turn < 30 && waiting === undefined; turn++) {
      const shown = await page
        .getByTestId('photo-tile')
        .evaluateAll((tiles) => tiles.map((t) => Number(t.getAttribute('data-photo-id'))));
      for (const id of shown.filter((n) => !known.has(n) && !checked.has(n)).reverse()) {
        checked.add(id);
        const answer = await app.api<{ notIndexed: boolean }>('photos:similar', { id });
        if (answer.notIndexed) {
          waiting = id;
          break;
        }
      }
      if (waiting === undefined) {
        await page.getByTestId('photo-tile').last().hover();
        await page.mouse.wheel(0, 600);
      }
    }
    expect(waiting, 'a new photo indexing has not reached').toBeDefined();
    await page.locator(`[data-testid="photo-tile"][data-photo-id="${waiting}"]`).click();
    // The photo jumps to the front of the queue, so the notice may last only a moment:
    // record its text the instant it appears rather than reading it afterwards.
    await page.evaluate(() => {
      const seen = window as unknown as { notIndexedText?: string };
      const look = (): boolean => {
        const notice = document.querySelector('[data-testid="similar-not-indexed"]');
        if (notice) seen.notIndexedText = notice.textContent ?? '';
        return Boolean(notice);
      };
      const observer = new MutationObserver(() => {
        if (look()) observer.disconnect();
      });
      observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    });
    await page.keyboard.press('s');
    const notice = await page.waitForFunction(
      () => (window as unknown as { notIndexedText?: string }).notIndexedText,
    );
    expect(await notice.jsonValue()).toContain(
      'This photo is still being indexed — it has been moved to the front of the queue',
    );
    await shot('09-not-indexed');
    await app.api('jobs:resume');
    // No click: progress events make the view ask again.
    await page.getByTestId('similar-hit').first().waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('similar-not-indexed').count()).toBe(0);
    expect(browser.errors).toEqual([]);
  });
});
