// Screenshots of every view, the same each run, to check that a change of the stylesheets
// changes nothing on screen. Not a test: run by hand with tsx (needs `npm run build` and
// /usr/bin/chromium).
//
//   npx tsx tests/e2e/_screens.ts prepare <dir>                 a library, a comic, a problem file
//   npx tsx tests/e2e/_screens.ts shoot <dir> <renderer> <out>  one PNG per view and state
//   npx tsx tests/e2e/_screens.ts compare <before> <after>      differing pixels per PNG
//
// Shoot the built renderer before a change (copy out/renderer aside), rebuild, shoot again,
// compare. The library is made once and reused, and the page's clock is fixed, so dates and
// "ago" labels are the same in both runs.
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import type { ComicSession, StudioOptions } from '../../src/shared/model';
import { startFakeOpenAI } from '../studio/fake-openai';
import { launchChromium, type RunningApp, scene, startApp, waitForIdle, waitUntil } from './harness';

const [command, ...rest] = process.argv.slice(2);
const env = (dir: string) => ({ HOME: join(dir, 'home'), OPENAI_API_KEY: '', OPENAI_BASE_URL: '' });

async function prepare(dir: string): Promise<void> {
  const photos = join(dir, 'photos');
  mkdirSync(join(photos, 'edits'), { recursive: true });
  mkdirSync(join(dir, 'home'), { recursive: true });
  for (let i = 1; i <= 9; i++) {
    writeFileSync(
      join(photos, `scene-${i}.jpg`),
      await (await scene(i * 31)).jpeg({ quality: 90 }).toBuffer(),
    );
  }
  const edited = await (await scene(31)).resize(360).modulate({ brightness: 1.12 }).webp().toBuffer();
  writeFileSync(join(photos, 'edits', 'scene-1-edit.webp'), edited);
  copyFileSync(join(photos, 'scene-2.jpg'), join(photos, 'edits', 'scene-2-copy.jpg'));
  writeFileSync(join(photos, 'broken.jpg'), Buffer.from('not a photo at all'));

  const fake = await startFakeOpenAI();
  const app = await startApp({ dataDir: join(dir, 'data'), env: env(dir) });
  try {
    await app.api('folders:add', { path: photos });
    await waitForIdle(app, 11);
    await app.api('studio:set-key', { key: fake.apiKey, baseUrl: fake.baseURL });
    const { items } = await app.api<{ items: { id: number }[] }>('photos:list', { limit: 3 });
    const session = await app.api<ComicSession>('studio:create', {
      photoIds: items.map((p) => p.id),
      title: 'Park day',
    });
    const { styles } = await app.api<StudioOptions>('studio:options');
    const options = {
      style: styles[0]!.id,
      panels: 3,
      arrangement: 'strip',
      size: 'auto',
      quality: 'low',
      variations: 1,
    };
    const drawn = async (count: number) =>
      waitUntil(async () => {
        const s = await app.api<ComicSession>('studio:get', { id: session.id });
        return s.versionList.filter((v) => v.state === 'done').length === count ? s : undefined;
      }, `${count} versions drawn`);
    await app.api('studio:generate', { id: session.id, prompt: 'Our afternoon in the park.', options });
    const first = await drawn(1);
    await app.api('studio:generate', {
      id: session.id,
      prompt: 'Make the kite red.',
      options,
      parentVersionId: first!.versionList[0]!.id,
    });
    await drawn(2);
  } finally {
    await app.stop();
    await fake.close();
  }
}

/** Every image loaded (or failed), every gallery tile drawn, and two frames painted. */
async function settle(page: Page): Promise<void> {
  await page.waitForFunction(() => [...document.images].every((img) => img.complete));
  await page.waitForFunction(() =>
    [...document.querySelectorAll<HTMLCanvasElement>('canvas.tile-image')].every(
      (c) => c.dataset.state === 'shown' || c.classList.contains('is-broken'),
    ),
  );
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.waitForTimeout(400);
}

async function shoot(dir: string, rendererDir: string, out: string): Promise<void> {
  mkdirSync(out, { recursive: true });
  const app = await startApp({
    dataDir: join(dir, 'data'),
    env: env(dir),
    args: ['--renderer-dir', rendererDir],
  });
  try {
    await shootViews(app, out);
  } finally {
    await app.stop();
  }
}

async function shootViews(app: RunningApp, out: string): Promise<void> {
  // The start-up rescan done and its finished bar gone, so Activity shows the same each run.
  // (A kind's finished bar can stay listed when its last batch reported progress before the
  // queue counted it as stopped; pausing and resuming makes the queue report again.)
  await waitForIdle(app, 11);
  await app.api('jobs:pause');
  await app.api('jobs:resume');
  await waitUntil(
    async () => (await app.api<{ progress: unknown[] }>('library:status')).progress.length === 0,
    'no progress bar left',
  );
  // One raster thread: with several, anti-aliased rounded corners vary by a few pixels between runs.
  const browser = await launchChromium(['--num-raster-threads=1', '--force-color-profile=srgb']);
  const errors: string[] = [];
  let paused = false;
  try {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 860 },
      reducedMotion: 'reduce',
    });
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.clock.setFixedTime(new Date('2026-12-01T12:00:00Z'));
    const shot = async (name: string, height = 860) => {
      await page.setViewportSize({ width: 1280, height });
      await settle(page);
      await page.screenshot({ path: join(out, `${name}.png`), animations: 'disabled', caret: 'hide' });
      await page.setViewportSize({ width: 1280, height: 860 });
    };
    await page.goto(app.url);
    const tiles = page.getByTestId('photo-tile');
    await waitUntil(async () => (await tiles.count()) === 11, 'every tile');
    await shot('01-gallery');
    await tiles.nth(0).click();
    await tiles.nth(1).click({ modifiers: ['Control'] });
    await tiles.nth(2).click({ modifiers: ['Control'] });
    await shot('02-gallery-selected');
    await tiles.nth(4).click({ button: 'right' });
    await shot('03-context-menu');
    await page.locator('[data-menu-item="open"]').click();
    await shot('04-lightbox');
    await page.keyboard.press('Escape');
    await tiles.nth(4).click({ button: 'right' });
    await page.locator('[data-menu-item="find-similar"]').click();
    await page.getByTestId('similar-hit').first().waitFor();
    await shot('05-similar');
    await page.goto(`${app.origin}/#duplicates`);
    await page.locator('.duplicate-photo').first().waitFor();
    await shot('06-duplicates', 1100);
    await page.goto(`${app.origin}/#similar`);
    await page.reload(); // The view remembers the last search while the page lives.
    await page.getByTestId('similar-start').waitFor();
    await shot('07-similar-start');
    await page.getByTestId('nav-activity').click();
    await page.getByTestId('problem-row').first().waitFor();
    await page.getByText('All caught up').waitFor(); // A finished job stays listed for a while.
    await shot('08-activity');
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('folder-row').first().waitFor();
    await page.locator('[data-testid="model-row"][data-active]').waitFor();
    await shot('09-settings', 2400);
    await page.locator('input[type="radio"][value="milvus"]').check();
    await page.locator('#milvus-uri').waitFor();
    await page.locator('[data-testid="vector-store-settings"]').scrollIntoViewIfNeeded();
    await shot('09b-settings-milvus', 2400);
    await page.getByTestId('nav-studio').click();
    await page.getByTestId('studio-session').first().waitFor();
    await shot('10-studio-list');
    await page.getByTestId('studio-session').getByRole('button', { name: 'Delete' }).click();
    await shot('11-confirm');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Open Park day' }).click();
    await page.getByTestId('studio-page').waitFor();
    await shot('12-studio-session', 1000);
    await page.getByTitle(/^Compare v1 with/).click();
    await shot('12b-studio-compare', 1000);
    await page.getByTitle(/^Compare v1 with/).click();
    await page.locator('.prompt-panel').evaluate((panel) => panel.scrollTo({ top: panel.scrollHeight }));
    await shot('12c-studio-options', 1000);
    await page.getByTestId('studio-export-button').click();
    await page.getByTestId('export-confirm').waitFor();
    await shot('13-export', 1000);
    await page.getByTestId('export-format-pdf').check();
    await page.getByTestId('export-pdf-size').waitFor();
    await shot('13b-export-pdf', 1000);
    await page.keyboard.press('Escape');
    // A job waiting while paused: Activity's job row, the same in every run.
    const [folder] = await app.api<{ id: number }[]>('folders:list');
    await app.api('jobs:pause');
    paused = true;
    await app.api('folders:rescan', { id: folder!.id });
    await page.getByTestId('nav-activity').click();
    await page.locator('.job-row').first().waitFor();
    await shot('14-activity-paused');
  } finally {
    if (paused) {
      await app.api('jobs:resume');
      await waitForIdle(app, 11); // The rescan queued above, so the next run starts idle.
    }
    await browser.close();
  }
  if (errors.length > 0) console.log('errors in page:', errors);
}

const FAINT = 8;

async function compare(before: string, after: string): Promise<void> {
  let changed = 0;
  for (const name of readdirSync(before).filter((f) => f.endsWith('.png') && !f.endsWith('.diff.png'))) {
    const [a, b] = await Promise.all(
      [before, after].map((d) =>
        sharp(join(d, name)).ensureAlpha().raw().toBuffer({ resolveWithObject: true }),
      ),
    );
    if (a!.info.width !== b!.info.width || a!.info.height !== b!.info.height) {
      console.log(`${name}: size ${a!.info.width}x${a!.info.height} -> ${b!.info.width}x${b!.info.height}`);
      changed++;
      continue;
    }
    const diff = Buffer.alloc(a!.data.length);
    let pixels = 0;
    let faint = 0;
    for (let i = 0; i < a!.data.length; i += 4) {
      let delta = 0;
      for (let c = 0; c < 3; c++) delta = Math.max(delta, Math.abs(a!.data[i + c]! - b!.data[i + c]!));
      // Software raster anti-aliases the rounded corners of images a few levels differently
      // from run to run (under 8 of 255, seen on the same build): that is not a change.
      const same = delta < FAINT;
      if (delta > 0 && same) faint++;
      diff[i] = same ? a!.data[i]! >> 2 : 255;
      diff[i + 1] = same ? a!.data[i + 1]! >> 2 : 0;
      diff[i + 2] = same ? a!.data[i + 2]! >> 2 : 0;
      diff[i + 3] = 255;
      if (!same) pixels++;
    }
    console.log(`${name}: ${pixels} differing pixels (${faint} more differ by less than ${FAINT}/255)`);
    if (pixels > 0) {
      changed++;
      await sharp(diff, { raw: { width: a!.info.width, height: a!.info.height, channels: 4 } })
        .png()
        .toFile(join(after, name.replace(/\.png$/, '.diff.png')));
    }
  }
  console.log(changed === 0 ? 'RESULT identical' : `RESULT ${changed} screenshots differ`);
}

if (command === 'prepare') await prepare(rest[0]!);
else if (command === 'shoot') await shoot(rest[0]!, rest[1]!, rest[2]!);
else if (command === 'compare') await compare(rest[0]!, rest[1]!);
else
  console.log('usage: _screens.ts prepare <dir> | shoot <dir> <renderer> <out> | compare <before> <after>');
