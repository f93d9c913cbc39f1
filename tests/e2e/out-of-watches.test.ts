// The OS out of file watches, through the whole app (issue 11's campaign): `npm run serve`
// runs in its own Linux user namespace allowed 2 inotify watches, so the kernel itself
// refuses the third (ENOSPC, as on a machine whose fs.inotify.max_user_watches is used up).
// Real Chromium shows it where the folder is listed, with the command that fixes it, and in
// Activity; a photo copied into a folder that could not be watched still arrives (polling).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WatchedFolder } from '../../src/shared/model';
import { canLowerWatchLimit, withWatchLimit } from '../helpers/namespaces';
import {
  chromiumAvailable,
  openBrowser,
  type RunningApp,
  type RunningBrowser,
  startApp,
  waitUntil,
  writePhotos,
} from './harness';

const runs = canLowerWatchLimit && chromiumAvailable();
let app: RunningApp;
let browser: RunningBrowser;
let photosDir: string;

beforeAll(async () => {
  if (!runs) return;
  photosDir = mkdtempSync(join(tmpdir(), 'komorebi-e2e-watches-'));
  await writePhotos(join(photosDir, 'a'), 1);
  // Five folders to watch (the root and four below it) against a limit of two.
  for (const d of ['b', 'c', 'd']) mkdirSync(join(photosDir, d));
  app = await startApp({ launcher: withWatchLimit(2) });
  browser = await openBrowser(app.url);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  if (photosDir) rmSync(photosDir, { recursive: true, force: true });
});

describe.skipIf(!runs)('the system out of file watches, in the window', () => {
  it('the folder row says its photos are checked on a timer and gives the command to raise the limit', async () => {
    const { page } = browser;
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('folder-path-input').fill(photosDir);
    await page.getByTestId('folder-add-button').click();
    const row = page.getByTestId('folder-row').first();
    await waitUntil(
      async () => (await row.getByTestId('folder-status').textContent()) === 'Checked on a timer',
      'the folder shown as checked on a timer',
    );
    const detail = (await row.getByTestId('folder-detail').textContent()) ?? '';
    expect(detail).toMatch(
      /^The system ran out of file watches \(ENOSPC\): Komorebi now checks this folder for new and changed photos every 2 s instead of seeing them at once\. To get instant updates again, raise the limit in a terminal: /,
    );
    // The commands are shown as code, each selectable as a whole.
    const commands = await row.locator('[data-testid="folder-detail"] code').allTextContents();
    expect(commands[0]).toBe('sudo sysctl fs.inotify.max_user_watches=524288');
    expect(commands[1]).toContain('/etc/sysctl.d/');
    // The Api carries the same note (Electron's window reads it the same way).
    const [folder] = await app.api<WatchedFolder[]>('folders:list');
    expect(folder!.watchNote!.replaceAll('`', '')).toBe(detail);
    expect(browser.errors).toEqual([]);
  });

  it('Activity lists it among the problems, for the folder', async () => {
    const { page } = browser;
    await page.getByTestId('nav-activity').click();
    const problem = page.locator('[data-testid="problem-row"][data-kind="watching"]');
    await problem.waitFor({ timeout: 30_000 });
    expect(await page.locator('#problems-title').textContent()).toMatch(
      /^Files and folders that need attention/,
    );
    expect(await problem.locator('.problem-path').textContent()).toBe(photosDir);
    expect(await problem.locator('.problem-reason').textContent()).toContain(
      'sudo sysctl fs.inotify.max_user_watches=524288',
    );
  });

  it('a photo copied into a folder the OS could not watch still arrives in the gallery', async () => {
    const { page } = browser;
    await page.getByTestId('nav-gallery').click();
    await waitUntil(async () => (await page.getByTestId('photo-tile').count()) === 1, 'the first photo');
    await writePhotos(join(photosDir, 'd'), 1, 40);
    await waitUntil(
      async () => (await page.getByTestId('photo-tile').count()) === 2,
      'the photo copied into d/ shown',
      60_000,
    );
    expect(browser.errors).toEqual([]);
  }, 90_000);
});
