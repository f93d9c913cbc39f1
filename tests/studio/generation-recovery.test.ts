// A page that was drawn (paid for) and saved, whose version row was not finished when the app
// died, is recovered as done at the next start, with its cost; one that was not saved is failed.
// The real drawing code on a real SQLite file and real files; the crash is the row's write
// failing right after the pages were saved, as a process killed there leaves them.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/core/library/db';
import type { ComicEngine, GenerateRequest, GenerateResult } from '../../src/main/core/studio/engine';
import { CLOSED_WHILE_DRAWING, drawVersions } from '../../src/main/core/studio/generation';
import { recoverInterrupted } from '../../src/main/core/studio/recover';
import { DEFAULT_GENERATION_OPTIONS, SessionStore } from '../../src/main/core/studio/session-store';
import { StudioFiles } from '../../src/main/core/studio/studio-files';
import { tempDir } from '../helpers/temp';

const dir = tempDir('komorebi-recover-');
afterAll(() => dir.cleanup());

/** An engine that answers at once with two pages, as the Responses engine reports them. */
const engine = (page: Buffer): ComicEngine => ({
  id: 'openai-responses',
  model: 'gpt-4o',
  imageModel: 'gpt-image-1',
  generate: async (_req: GenerateRequest): Promise<GenerateResult> => ({
    images: [page, page],
    responseIds: ['resp_1', 'resp_2'],
    responseId: 'resp_1',
    usage: { inputTokens: 1000, outputTokens: 4000, totalTokens: 5000 },
    model: 'gpt-4o-2024-08-06',
    imageModel: 'gpt-image-1',
  }),
});

describe('a paid generation interrupted before its row was finished', () => {
  it('is recovered as done with its page and cost; a version with no saved page is failed', async () => {
    const db = openDatabase(join(dir.dir, 'library.db'));
    const store = new SessionStore(db);
    const files = new StudioFiles(join(dir.dir, 'studio'));
    const sessionId = store.create('Trip', DEFAULT_GENERATION_OPTIONS, []);
    const versions = (n: number) =>
      store.insertVersions(
        {
          sessionId,
          parentId: null,
          prompt: 'A day out',
          fullPrompt: 'A day out',
          engine: 'openai-responses',
          model: 'gpt-4o',
          options: DEFAULT_GENERATION_OPTIONS,
        },
        n,
      );
    const drawn = versions(2);
    const page = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#3a7' } })
      .png()
      .toBuffer();
    // The process dies when it goes to record the first outcome: both pages are saved by then.
    const dying = Object.create(store) as SessionStore;
    dying.finish = () => {
      throw new Error('killed');
    };
    await expect(
      drawVersions(
        {
          sessionId,
          versionIds: drawn,
          engine: engine(page),
          prompt: 'A day out',
          size: '1024x1536',
          quality: 'medium',
          references: [],
          referenceMaxSide: 1024,
          signal: new AbortController().signal,
        },
        { store: dying, files, notifier: { emit() {} } },
      ),
    ).rejects.toThrow('killed');
    expect(store.versions(sessionId).map((v) => v.state)).toEqual(['generating', 'generating']);
    // A third one was still drawing: nothing of it was saved.
    const [lost] = versions(1);

    expect(await recoverInterrupted(store, files)).toBe(1);
    const rows = store.versions(sessionId);
    for (const [i, id] of drawn.entries()) {
      const v = rows.find((r) => r.id === id)!;
      expect(v).toMatchObject({
        state: 'done',
        image: files.pagePath(sessionId, id),
        response_id: `resp_${i + 1}`,
      });
      expect(v.cost_usd).toBeGreaterThan(0);
      expect(existsSync(files.absolute(v.image!))).toBe(true);
    }
    expect(rows.find((r) => r.id === lost)).toMatchObject({ state: 'failed', error: CLOSED_WHILE_DRAWING });
    // No receipt is left once the rows are finished.
    expect(readdirSync(files.absolute(String(sessionId))).filter((n) => n.endsWith('.json'))).toEqual([]);
    db.close();
  });
});
