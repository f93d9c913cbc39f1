// The end-to-end scenario: OpenAI as it is on 2026-12-01 (the local server's "today"
// mode: retired models refused, gpt-image-2 refusing input_fidelity, models listed with shutdown
// dates, every request checked against OpenAI's OpenAPI description). A new user's first comic
// with Komorebi's default settings works; one panel is redrawn and nothing else of the page
// changes; a retired model typed in Settings is named, with one click to a live one.
import { mkdtempSync, rmSync } from 'node:fs';
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

const sessionInView = (page: Page) => comicInView(app, page);

describe.skipIf(!chromiumAvailable())("comic studio against today's OpenAI, in browser mode", () => {
  beforeAll(async () => {
    fake = await startFakeOpenAI();
    photosDir = mkdtempSync(join(tmpdir(), 'komorebi-e2e-today-photos-'));
    await writePhotos(photosDir, 3, 20);
    app = await startApp({ env: { OPENAI_API_KEY: fake.apiKey, OPENAI_BASE_URL: fake.baseURL } });
    await app.api('folders:add', { path: photosDir });
    await waitUntil(
      async () => (await app.api<{ total: number }>('photos:list', { offset: 0, limit: 10 })).total === 3,
      '3 photos in the library',
    );
    browser = await openBrowser(app.url);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await fake?.close();
    if (photosDir) rmSync(photosDir, { recursive: true, force: true });
  });

  it('draws a first comic with the default settings: models chosen from what is live, nothing refused', async () => {
    const { page } = browser;
    expect((await app.api<StudioOptions>('studio:options')).settings).toMatchObject({
      engine: 'openai-responses',
      responsesModel: '',
      responsesImageModel: '',
      imagesModel: '',
    });
    const tiles = page.getByTestId('photo-tile');
    await waitUntil(async () => (await tiles.count()) === 3, '3 tiles');
    await tiles.nth(0).click();
    await tiles.nth(1).click({ modifiers: ['Control'] });
    await tiles.nth(2).click({ modifiers: ['Control'] });
    await page.getByTestId('make-comic').click();
    await waitUntil(
      async () => (await page.getByTestId('studio-reference').count()) === 3,
      'three references',
    );
    await page.getByTestId('studio-prompt').fill('Our first day at the lake.');
    await page.getByTestId('studio-generate').click();
    await waitUntil(async () => (await done(page).count()) === 1, 'the first page drawn');
    expect(await page.getByTestId('studio-error').count()).toBe(0);
    expect(await page.getByTestId('studio-model-notice').count()).toBe(0);

    const drawn = fake.requests.filter((r) => r.method === 'POST');
    expect(drawn.map((r) => [r.path, r.status])).toEqual([['/v1/responses', 200]]);
    expect(drawn[0]!.json!.model).toBe('gpt-6-luna');
    const tool = (drawn[0]!.json!.tools as Array<Record<string, unknown>>)[0]!;
    expect(tool).toMatchObject({ type: 'image_generation', model: 'gpt-image-2.6-sunburst' });
    expect(tool).not.toHaveProperty('input_fidelity');
    expect(fake.requests.some((r) => r.path === '/v1/models' && r.status === 200)).toBe(true);
    expect(await page.getByTestId('studio-cost').textContent()).toMatch(
      /gpt-6-luna-2026-09-22 \+ gpt-image-2\.6-sunburst/,
    );
    expect(fake.violations).toEqual([]);
  });

  it('redraws one panel: only that panel changes, and the new version compares with its parent', async () => {
    const { page } = browser;
    const parent = (await sessionInView(page)).versionList.filter((v) => v.state === 'done').at(-1)!;
    await page
      .locator(`[data-testid="studio-version"][data-version-id="${parent.id}"] .version-main`)
      .click();
    await page.getByTestId('studio-redraw-button').click();
    await page.getByTestId('studio-panel-picker').waitFor();
    await page.locator('[data-testid="studio-panel-choice"][data-panel="2"]').click();
    expect(await page.getByTestId('studio-generate').textContent()).toBe('Redraw panel 2');
    await page.getByTestId('studio-prompt').fill('Give the middle panel a rainbow.');
    await page.getByTestId('studio-generate').click();
    await waitUntil(async () => (await done(page).count()) === 2, 'the redrawn page');

    const session = await sessionInView(page);
    const redrawn = session.versionList.at(-1)!;
    const cut = await app.api<PanelCut>('studio:panels', { versionId: parent.id });
    expect(redrawn).toMatchObject({ parentId: parent.id, region: cut.rects[1], state: 'done' });
    expect(redrawn.costUsd).toBeGreaterThan(0);
    expect(await page.getByTestId('studio-page').getAttribute('data-version-id')).toBe(String(redrawn.id));
    expect(await page.getByTestId('studio-version-region').count()).toBe(1);
    expect(fake.violations).toEqual([]);

    // Every pixel outside the panel is the parent's.
    const file = (image: string) => join(app.dataDir, image); // media paths start with studio/
    const raw = async (image: string) =>
      sharp(file(image)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const [a, b] = [await raw(parent.image!), await raw(redrawn.image!)];
    const r = cut.rects[1]!;
    let outsideChanged = 0;
    let insideChanged = 0;
    for (let y = 0; y < a.info.height; y++) {
      for (let x = 0; x < a.info.width; x++) {
        const i = (y * a.info.width + x) * 4;
        const same = a.data.readUInt32BE(i) === b.data.readUInt32BE(i);
        const inside = x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height;
        if (!same && inside) insideChanged++;
        if (!same && !inside) outsideChanged++;
      }
    }
    expect(outsideChanged).toBe(0);
    expect(insideChanged).toBeGreaterThan(0);

    // Compare with the parent, then go back to it.
    await page
      .locator(
        `[data-testid="studio-version"][data-version-id="${parent.id}"] [data-testid="studio-compare"]`,
      )
      .click();
    await page.getByTestId('studio-compare-view').waitFor();
    expect(await page.locator('[data-testid="studio-compare-view"] img').count()).toBe(2);
    await page.getByRole('button', { name: 'Close comparison' }).click();
    await page
      .locator(`[data-testid="studio-version"][data-version-id="${parent.id}"] .version-main`)
      .click();
    expect(await page.getByTestId('studio-page').getAttribute('data-version-id')).toBe(String(parent.id));
  });

  it('a retired model typed in Settings is named, with one click to a live one; prompt and history stay', async () => {
    const { page } = browser;
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('openai-engine').selectOption('openai-images');
    await page.getByTestId('model-imagesModel').selectOption({ label: 'Another model…' });
    await page.getByLabel('Images API model: model name').fill('gpt-image-1.5');
    await page.getByTestId('studio-settings-save').click();
    await waitUntil(
      async () => (await page.getByTestId('studio-settings-notice').textContent())?.includes('saved'),
      'saved',
    );

    await page.getByTestId('nav-studio').click();
    await page
      .getByTestId('studio-session')
      .first()
      .getByRole('button', { name: 'Open', exact: true })
      .click();
    const notice = page.getByTestId('studio-model-notice');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('gpt-image-1.5');
    const before = (await sessionInView(page)).versionList.length;
    const prompt = 'The same walk, in the snow.';
    await page.getByRole('button', { name: 'Start from scratch' }).click();
    await page.getByTestId('studio-prompt').fill(prompt);
    await page.getByTestId('studio-generate').click();
    await page.getByTestId('studio-fix').waitFor();
    expect(await page.getByTestId('studio-error').textContent()).toContain(
      'no longer offers the model "gpt-image-1.5"',
    );
    expect(await page.getByTestId('studio-fix').textContent()).toBe(
      'Use gpt-image-2.6-sunburst instead of gpt-image-1.5',
    );
    expect(await page.getByTestId('studio-prompt').inputValue()).toBe(prompt);

    await page.getByTestId('studio-fix').click();
    await waitUntil(
      async () => (await page.getByTestId('studio-notice').textContent())?.includes('gpt-image-2.6-sunburst'),
      'switched',
    );
    expect(await page.getByTestId('studio-model-notice').count()).toBe(0);
    await page.getByTestId('studio-generate').click();
    await waitUntil(async () => (await done(page).count()) === 3, 'drawn with the live model');
    const session = await sessionInView(page);
    expect(session.versionList).toHaveLength(before + 2);
    expect(session.versionList.at(-1)).toMatchObject({
      prompt,
      engine: 'openai-images',
      imageModel: 'gpt-image-2.6-sunburst',
    });
    expect((await app.api<StudioOptions>('studio:options')).settings.imagesModel).toBe(
      'gpt-image-2.6-sunburst',
    );
    await app.api('studio:settings', { engine: 'openai-responses', imagesModel: '' });
    expect(fake.violations).toEqual([]);
  });

  it('leaves no error in the page', () => {
    expect(browser.errors.filter((e) => !e.startsWith('Failed to load resource'))).toEqual([]);
  });
});
