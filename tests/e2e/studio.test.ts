// The Comic Studio end to end (issue scenario): select three photos in the gallery, "Make
// comic", generate, refine once, go back to the first version and export its panels; the
// files exist with the expected count and sizes. The OpenAI side is the local fake in its
// "today" mode, checking every request against OpenAI's OpenAPI description; the key and base
// URL are entered in Settings like a user would. studio-today.test.ts redraws a panel and
// switches away from a retired model.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PanelCut, StudioOptions } from '../../src/shared/model';
import { type FakeOpenAI, startFakeOpenAI } from '../studio/fake-openai';
import {
  chromiumAvailable,
  openBrowser,
  type RunningApp,
  type RunningBrowser,
  startApp,
  waitUntil,
  writePhotos,
} from './harness';
import { comicInView, doneVersions as done } from './studio-page';

let fake: FakeOpenAI;
let app: RunningApp;
let browser: RunningBrowser;
let photosDir: string;
let exportDir: string;

const sessionInView = (page: Page) => comicInView(app, page);

describe.skipIf(!chromiumAvailable())('comic studio in browser mode', () => {
  beforeAll(async () => {
    fake = await startFakeOpenAI();
    photosDir = mkdtempSync(join(tmpdir(), 'komorebi-e2e-studio-photos-'));
    exportDir = mkdtempSync(join(tmpdir(), 'komorebi-e2e-studio-out-'));
    await writePhotos(photosDir, 5);
    // No key in the environment: the user saves it in Settings.
    app = await startApp({ env: { OPENAI_API_KEY: '', OPENAI_BASE_URL: '' } });
    await app.api('folders:add', { path: photosDir });
    await waitUntil(
      async () => (await app.api<{ total: number }>('photos:list', { offset: 0, limit: 10 })).total === 5,
      '5 photos in the library',
    );
    browser = await openBrowser(app.url);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await fake?.close();
    for (const dir of [photosDir, exportDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('takes the OpenAI key and endpoint in Settings, never shows the key again, and tests it', async () => {
    const { page } = browser;
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('openai-base-url').fill(fake.baseURL);
    await page.getByTestId('openai-key-input').fill(fake.apiKey);
    await page.getByRole('button', { name: 'Save key' }).click();
    // Another endpoint than OpenAI's is confirmed before the key goes there.
    expect(await page.getByTestId('openai-endpoint-confirm').textContent()).toContain('127.0.0.1');
    await page.getByTestId('openai-endpoint-confirm-send').click();
    await waitUntil(
      async () => (await page.getByTestId('openai-key-status').textContent())?.startsWith('Saved'),
      'key saved',
    );
    expect(await page.getByTestId('openai-key-input').inputValue()).toBe('');
    expect(await page.content()).not.toContain(fake.apiKey);
    await page.getByRole('button', { name: 'Test key' }).click();
    await waitUntil(
      async () => (await page.getByTestId('studio-settings-notice').textContent())?.includes('The key works'),
      'key test passed',
    );
    // Both models the next generation uses were checked; neither was a fixed name.
    expect(await page.getByTestId('studio-settings-notice').textContent()).toBe(
      'The key works and may use gpt-6-luna (main model) and gpt-image-2.6-sunburst (image model).',
    );
    expect(await page.getByTestId('studio-models-summary').textContent()).toMatch(
      /^Models as OpenAI lists them for this key/,
    );
    expect(await page.getByTestId('model-responsesImageModel').locator('option:checked').textContent()).toBe(
      'Automatic (gpt-image-2.6-sunburst)',
    );
    expect(await page.getByTestId('model-responsesImageModel-price').textContent()).toBe(
      'gpt-image-2.6-sunburst: text in $5.00 · image in $8.00 · image out $30.00 per 1M tokens',
    );
    const options = await app.api<StudioOptions>('studio:options');
    expect(options).toMatchObject({
      hasKey: true,
      settings: { baseUrl: fake.baseURL, responsesModel: '', imagesModel: '' },
    });
    expect(fake.violations).toEqual([]);
  });

  it('makes a comic from three selected photos, draws it with live progress, and shows its cost', async () => {
    const { page } = browser;
    await page.getByTestId('nav-gallery').click();
    const tiles = page.getByTestId('photo-tile');
    await waitUntil(async () => (await tiles.count()) === 5, '5 tiles');
    await tiles.nth(0).click();
    await tiles.nth(1).click({ modifiers: ['Control'] });
    await tiles.nth(2).click({ modifiers: ['Control'] });
    await page.getByTestId('make-comic').click();

    const refs = page.getByTestId('studio-reference');
    await waitUntil(async () => (await refs.count()) === 3, 'three references in the studio');
    expect(await refs.evaluateAll((els) => els.map((e) => e.getAttribute('data-included')))).toEqual([
      'true',
      'true',
      'true',
    ]);
    expect(await page.getByTestId('studio-privacy').textContent()).toBe(
      'Only the 3 included photos are sent to OpenAI, downscaled to 1536 px and without location or camera data.',
    );

    // Record every partial image the page shows while drawing (they may be on screen briefly).
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { partialsSeen: string[] }).partialsSeen = seen;
      new MutationObserver(() => {
        for (const img of document.querySelectorAll<HTMLImageElement>('[data-testid="studio-partial"]')) {
          if (!seen.includes(img.src)) seen.push(img.src);
        }
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });

    await page.locator('[data-testid="studio-layout"][data-panels="3"][data-arrangement="strip"]').click();
    await page
      .getByTestId('studio-prompt')
      .fill('Our afternoon in the park: the kite, the rain, the ice cream.');
    await page.getByTestId('studio-generate').click();
    await waitUntil(async () => (await done(page).count()) === 1, 'the first page drawn');
    await page.getByTestId('studio-page').waitFor();

    const partials = await page.evaluate(
      () => (window as unknown as { partialsSeen: string[] }).partialsSeen,
    );
    expect(partials.length).toBeGreaterThan(0);
    expect(partials.every((src) => src.includes('/media/'))).toBe(true);
    const cost = await page.getByTestId('studio-cost').textContent();
    expect(cost).toMatch(/v1: [\d,]+ tokens · (\$\d+\.\d\d|less than \$0\.01)/);

    // What left the machine: the three photos, no larger than the reference size, to today's models.
    const request = fake.requests.filter((r) => r.path.endsWith('/responses')).at(-1)!;
    expect(request.status).toBe(200);
    expect(request.json!.model).toBe('gpt-6-luna');
    const tool = (request.json!.tools as Array<Record<string, unknown>>)[0]!;
    expect(tool.model).toBe('gpt-image-2.6-sunburst');
    expect(tool).not.toHaveProperty('input_fidelity');
    expect(fake.violations).toEqual([]);
    expect(request.images).toHaveLength(3);
    for (const image of request.images) {
      const meta = await sharp(image).metadata();
      expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(1536);
      expect(meta.exif).toBeUndefined();
    }
  });

  it('refines the page, then goes back to the first version as the one shown', async () => {
    const { page } = browser;
    expect(await page.getByTestId('studio-prompt').getAttribute('placeholder')).toBe('Describe a change…');
    await page.getByTestId('studio-prompt').fill('Make the kite red and the sky stormy.');
    await page.getByTestId('studio-generate').click();
    await waitUntil(async () => (await done(page).count()) === 2, 'the refined page drawn');

    const session = await sessionInView(page);
    const [v1, v2] = session.versionList;
    expect(v2!.parentId).toBe(v1!.id);
    expect(await page.getByTestId('studio-page').getAttribute('data-version-id')).toBe(String(v2!.id));

    await page.locator(`[data-testid="studio-version"][data-version-id="${v1!.id}"] .version-main`).click();
    expect(await page.getByTestId('studio-page').getAttribute('data-version-id')).toBe(String(v1!.id));
    expect(await page.getByTestId('studio-prompt').getAttribute('placeholder')).toBe('Describe a change…');
  });

  it('exports the panels of the first version with an adjusted cut, and replaces files only when asked', async () => {
    const { page } = browser;
    const session = await sessionInView(page);
    const v1 = session.versionList[0]!;
    const cut = await app.api<PanelCut>('studio:panels', { versionId: v1.id });
    expect(cut.rects).toHaveLength(3);

    await page.getByTestId('studio-export-button').click();
    expect(await page.getByTestId('export-format-panels').isChecked()).toBe(true);
    await page.getByTestId('export-folder-input').fill(exportDir);
    // The first panel made 20 px narrower with the numeric field.
    const narrower = cut.rects[0]!.width - 20;
    await page.getByTestId('export-cut-width').fill(String(narrower));
    await page.getByTestId('export-confirm').click();
    // Browser mode has no folder window: a typed folder is confirmed once (decision 0045).
    await page.getByTestId('export-folder-confirm').waitFor();
    expect(await page.getByTestId('export-folder-confirm').textContent()).toContain(exportDir);
    expect(readdirSync(exportDir)).toEqual([]);
    await page.getByTestId('export-folder-confirm-use').click();
    await page.getByTestId('export-result').waitFor();

    const written = await page.getByTestId('export-file').allTextContents();
    expect(written).toHaveLength(3);
    expect(readdirSync(exportDir).sort()).toEqual(written.map((f) => f.slice(exportDir.length + 1)).sort());
    const sizes = await Promise.all(
      written.map(async (f) => {
        const meta = await sharp(f).metadata();
        return [meta.width, meta.height];
      }),
    );
    expect(sizes).toEqual(cut.rects.map((r, i) => [i === 0 ? narrower : r.width, r.height]));

    // Again: the core lists the files that exist; nothing is replaced until the user confirms.
    await page.getByTestId('export-confirm').click();
    await page.getByTestId('export-conflict').waitFor();
    expect(await page.getByTestId('export-conflict').textContent()).toContain('already exist');
    await page.getByTestId('export-overwrite').click();
    await page.getByTestId('export-result').waitFor();
    expect(await page.getByTestId('export-file').count()).toBe(3);
    await page.getByRole('button', { name: 'Done' }).click();
  });

  it('moves a panel edge by dragging it, and exports a PDF and a CBZ', async () => {
    const { page } = browser;
    const session = await sessionInView(page);
    const cut = await app.api<PanelCut>('studio:panels', { versionId: session.versionList[0]!.id });
    await page.getByTestId('studio-export-button').click();
    await page.getByRole('tab', { name: 'Panel 2' }).click();
    const widthField = page.getByTestId('export-cut-width');
    expect(Number(await widthField.inputValue())).toBe(cut.rects[1]!.width);

    // Drag panel 2's right edge 10 % of the page to the left.
    const box = (await page.getByTestId('export-cut-overlay').boundingBox())!;
    const scale = box.width / cut.width;
    const r = cut.rects[1]!;
    const x = box.x + (r.x + r.width) * scale;
    const y = box.y + (r.y + r.height / 2) * scale;
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x - box.width * 0.05, y, { steps: 4 });
    await page.mouse.move(x - box.width * 0.1, y, { steps: 4 });
    await page.mouse.up();
    const dragged = Number(await widthField.inputValue());
    expect(Math.abs(dragged - (r.width - cut.width * 0.1))).toBeLessThanOrEqual(2);

    const dir = join(exportDir, 'print');
    await page.getByTestId('export-format-panels').uncheck();
    await page.getByTestId('export-format-pdf').check();
    await page.getByTestId('export-format-cbz').check();
    await page.getByTestId('export-pdf-size').selectOption('A5');
    await page.getByTestId('export-folder-input').fill(dir);
    await page.getByTestId('export-confirm').click();
    await page.getByTestId('export-result').waitFor();
    const files = await page.getByTestId('export-file').allTextContents();
    expect(files.map((f) => f.slice(f.lastIndexOf('.')))).toEqual(['.pdf', '.cbz']);
    expect(readdirSync(dir).sort()).toEqual(files.map((f) => f.slice(dir.length + 1)).sort());
    await page.getByRole('button', { name: 'Done' }).click();
  });

  it('cancels a drawing that takes too long, and keeps prompt and history after a refusal', async () => {
    const { page } = browser;
    await page.getByTestId('studio-prompt').fill('A quiet page FAKE:hang-stream');
    await page.getByTestId('studio-generate').click();
    await page.getByTestId('studio-cancel').click();
    await waitUntil(
      async () =>
        (await page.locator('[data-testid="studio-version"][data-state="cancelled"]').count()) === 1,
      'the drawing cancelled',
    );
    expect(await done(page).count()).toBe(2);

    const prompt = 'The storm again FAKE:policy';
    await page.getByTestId('studio-prompt').fill(prompt);
    await page.getByTestId('studio-generate').click();
    await waitUntil(
      async () => (await page.locator('[data-testid="studio-version"][data-state="failed"]').count()) === 1,
      'the refusal',
    );
    const error = await page.getByTestId('studio-error').textContent();
    expect(error).toMatch(/safety|policy|refused|rejected/i);
    expect(await page.getByTestId('studio-prompt').inputValue()).toBe(prompt);
    expect(await page.getByTestId('studio-reference').count()).toBe(3);
    expect(await done(page).count()).toBe(2);
  });

  it('sends only the included photos in the order shown, with a saved style preset', async () => {
    const { page } = browser;
    const original = (await sessionInView(page)).references.map((r) => r.photo.id);
    // Drag the first photo onto the last one: it moves to the end.
    await page.getByTestId('studio-reference').nth(0).dragTo(page.getByTestId('studio-reference').nth(2));
    const before = [original[1], original[2], original[0]];
    await waitUntil(
      async () => (await sessionInView(page)).references.map((r) => r.photo.id).join() === before.join(),
      'the dragged order saved',
    );
    // Exclude the second photo, then move the third one place to the left.
    await page.getByTestId('studio-reference-toggle').nth(1).click();
    await page
      .getByRole('button', { name: /Move .* left/ })
      .nth(2)
      .click();
    await waitUntil(async () => {
      const refs = (await sessionInView(page)).references;
      return (
        refs.map((r) => r.photo.id).join() === [before[0], before[2], before[1]].join() &&
        refs.map((r) => r.included).join() === 'true,true,false'
      );
    }, 'the reference order and choice saved');
    // Refining v1 continues the conversation (no photo is sent again); a new first drawing sends the references.
    expect(await page.getByTestId('studio-privacy').textContent()).toContain('no photo is sent again');
    await page.getByRole('button', { name: 'Start from scratch' }).click();
    expect(await page.getByTestId('studio-privacy').textContent()).toContain(
      'Only the 2 included photos are sent',
    );
    expect(
      await page.getByTestId('studio-reference').evaluateAll((els) => els.map((e) => e.dataset.included)),
    ).toEqual(['true', 'true', 'false']);

    await page.getByRole('button', { name: 'Save as preset…' }).click();
    await page.getByLabel('Preset name').fill('Ink and rain');
    await page.getByLabel('Preset description').fill('Loose ink washes, rain-streaked windows, muted teal.');
    await page.getByRole('button', { name: 'Save preset' }).click();
    const preset = page.locator('[data-testid="studio-style"][aria-pressed="true"]');
    await waitUntil(async () => (await preset.textContent()) === 'Ink and rain', 'the preset chosen');

    const sent = fake.requests.length;
    await page.getByTestId('studio-prompt').fill('The same walk, at night.');
    await page.getByTestId('studio-generate').click();
    await waitUntil(async () => (await done(page).count()) === 3, 'a page with the preset');
    const request = fake.requests.slice(sent).find((r) => r.path.endsWith('/responses'))!;
    expect(request.images).toHaveLength(2);
    expect(JSON.stringify(request.json)).toContain('Loose ink washes, rain-streaked windows, muted teal.');

    await page.getByRole('button', { name: 'Delete the preset Ink and rain' }).click();
    await waitUntil(async () => (await page.getByTestId('studio-style').count()) === 4, 'the preset deleted');
  });

  it('lists the comic, renames it in place and deletes it after a confirmation', async () => {
    const { page } = browser;
    await page.getByTestId('nav-studio').click();
    const card = page.getByTestId('studio-session');
    await card.first().waitFor();
    expect(await card.count()).toBe(1);
    await card.getByTestId('studio-title').click();
    await page.getByTestId('studio-title-input').fill('Park day');
    await page.getByTestId('studio-title-input').press('Enter');
    await waitUntil(
      async () => (await card.getByTestId('studio-title').textContent()) === 'Park day',
      'renamed',
    );
    await card.getByRole('button', { name: 'Delete' }).click();
    await page.getByTestId('confirm-button').click();
    await waitUntil(async () => (await card.count()) === 0, 'deleted');
    expect(await app.api<unknown[]>('studio:sessions')).toEqual([]);
    // Refused requests (the export conflict) answer with an HTTP error status, which Chromium
    // logs as "Failed to load resource"; anything else (an exception in the page) is a bug.
    expect(browser.errors.filter((e) => !e.startsWith('Failed to load resource'))).toEqual([]);
  });
});
