import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { VersionOutcome } from './session-store';

/**
 * Where Comic Studio keeps its images, inside the data directory's studio folder:
 *   <session>/v<version>.png                 a finished page
 *   <session>/v<version>.receipt.json        what it cost, until its row is finished
 *   <session>/partials/<version>-<n>.png     previews while drawing (deleted when it ends)
 * Rows store the '/'-separated path inside the folder; the window gets `studio/<that>`.
 */
export class StudioFiles {
  constructor(readonly root: string) {}

  pagePath(sessionId: number, versionId: number): string {
    return `${sessionId}/v${versionId}.png`;
  }

  /**
   * What a drawn page cost and came with, written just before the page: a crash after the
   * page and before its row was finished recovers it as done (decision 0043).
   */
  receiptPath(sessionId: number, versionId: number): string {
    return `${sessionId}/v${versionId}.receipt.json`;
  }

  partialPath(sessionId: number, versionId: number, index: number): string {
    return `${sessionId}/partials/${versionId}-${index}.png`;
  }

  absolute(rel: string): string {
    return join(this.root, ...rel.split('/'));
  }

  /** Written beside its final name, then renamed: a reader never sees half a file. */
  async write(rel: string, data: Buffer): Promise<void> {
    const target = this.absolute(rel);
    await mkdir(dirname(target), { recursive: true });
    const temp = `${target}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(temp, data);
      await rename(temp, target);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }

  async removePartials(sessionId: number, versionIds: number[]): Promise<void> {
    const dir = this.absolute(`${sessionId}/partials`);
    const names = await readdir(dir).catch(() => [] as string[]);
    const prefixes = versionIds.map((id) => `${id}-`);
    await Promise.all(
      names
        .filter((n) => prefixes.some((p) => n.startsWith(p)))
        .map((n) => rm(join(dir, n), { force: true })),
    );
  }

  async removeReceipts(sessionId: number, versionIds: number[]): Promise<void> {
    await Promise.all(
      versionIds.map((id) => rm(this.absolute(this.receiptPath(sessionId, id)), { force: true })),
    );
  }

  /** The receipt of a page that is on disk, or null (no page, no receipt, or unreadable). */
  async drawnPage(sessionId: number, versionId: number): Promise<VersionOutcome | null> {
    try {
      await stat(this.absolute(this.pagePath(sessionId, versionId)));
      const text = await readFile(this.absolute(this.receiptPath(sessionId, versionId)), 'utf8');
      return JSON.parse(text) as VersionOutcome;
    } catch {
      return null;
    }
  }

  async removeSession(sessionId: number): Promise<void> {
    await rm(this.absolute(String(sessionId)), { recursive: true, force: true });
  }
}

/** The media path the window loads an image by. */
export function studioMediaPath(rel: string | null): string | null {
  return rel ? `studio/${rel}` : null;
}
