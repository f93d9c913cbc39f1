// What the Studio's end-to-end tests read off the page.
import type { Page } from 'playwright-core';
import type { ComicSession } from '../../src/shared/model';
import type { RunningApp } from './harness';

/** The versions in the history that have a finished page. */
export const doneVersions = (page: Page) => page.locator('[data-testid="studio-version"][data-state="done"]');

/** The comic the Studio shows, as the core has it. */
export async function comicInView(app: RunningApp, page: Page): Promise<ComicSession> {
  const id = Number(await page.getByTestId('studio-view').getAttribute('data-session-id'));
  const session = await app.api<ComicSession | null>('studio:get', { id });
  if (!session) throw new Error(`Comic ${id} is not in the core.`);
  return session;
}
