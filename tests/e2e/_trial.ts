// A new user's first minutes, scripted: not a test (run by hand with tsx), it starts browser mode
// on a fresh data dir, adds real photo folders and takes screenshots of each view.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openBrowser, startApp, waitUntil } from './harness';

const out = process.argv[2] ?? '/tmp/trial';
const folders = process.argv.slice(3);
mkdirSync(out, { recursive: true });
const app = await startApp();
const b = await openBrowser(app.url);
const { page } = b;
try {
  await page.getByTestId('nav-settings').click();
  for (const f of folders) {
    await page.getByTestId('folder-path-input').fill(f);
    await page.getByTestId('folder-add-button').click();
    await page.waitForTimeout(500);
  }
  await page.screenshot({ path: join(out, 'settings.png') });
  const status = await app.api<{ files: number }>('library:status');
  console.log('after add', status);
  await page.getByTestId('nav-activity').click();
  await page.waitForTimeout(1500);
  await page.screenshot({ path: join(out, 'activity-busy.png') });
  const t0 = Date.now();
  await waitUntil(
    async () => {
      const s = await app.api<{ files: number; jobs: Record<string, { pending: number; running: number }> }>(
        'library:status',
      );
      return s.files > 0 && Object.values(s.jobs).every((j) => j.pending + j.running === 0);
    },
    'idle',
    600_000,
  );
  console.log('idle after', (Date.now() - t0) / 1000, 's', await app.api('library:status'));
  await page.getByTestId('nav-gallery').click();
  await page.waitForTimeout(1500);
  await page.screenshot({ path: join(out, 'gallery.png') });
  const tile = page.getByTestId('photo-tile').nth(4);
  await tile.click({ button: 'right' });
  await page.screenshot({ path: join(out, 'context-menu.png') });
  await page.getByText('Find similar').first().click();
  await page.waitForTimeout(1500);
  await page.screenshot({ path: join(out, 'similar.png') });
  await page.goto(`${app.origin}/#duplicates`);
  await page.waitForTimeout(3000);
  await page.screenshot({ path: join(out, 'duplicates.png') });
  await page.goto(`${app.origin}/#activity`);
  await page.waitForTimeout(1000);
  await page.screenshot({ path: join(out, 'activity.png') });
  await page.goto(`${app.origin}/#studio`);
  await page.waitForTimeout(1000);
  await page.screenshot({ path: join(out, 'studio.png') });
  console.log('errors in page:', b.errors);
} finally {
  await b.close();
  await app.stop();
}
