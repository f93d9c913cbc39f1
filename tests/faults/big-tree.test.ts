// A tree of 20,000 files in deep nesting: symbolic-link loops, thousands of files that are not
// photos, folders deeper than the walk goes, and photos still being written when first seen.
// Through the whole core: every photo is found once, with its final content (not the half
// written when it was seen), its previews and its vector; the folders cut off by the depth
// limit are listed with what to do; nothing else is a problem; the originals are unchanged.
import { appendFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOfflineModel } from '../../scripts/models/build-offline-model';
import { createCore, dataPaths } from '../../src/main/core/app';
import { MAX_DEPTH } from '../../src/main/core/ingest/walk';
import { healed } from '../core/fixtures/_healed';
import { waitUntilSettled } from '../helpers/settle';
import { RecordingNotifier, tempDir } from '../helpers/temp';
import { changedOriginals, checksums, photo } from './harness/photos';

const FILES = 20_000;
const PHOTOS = 600; // of which GROWING are written while the scan runs
const GROWING = 6;
const tree = tempDir('komorebi-faults-tree-');
const data = tempDir('komorebi-faults-tree-data-');
let before: Map<string, string>;
let deepOnes = 0;
let tooDeepFolder = '';

/** Folder i of a tree: 40 wide branches 5 levels down, and one chain deeper than the walk goes. */
function folderOf(i: number): { dir: string; deep: boolean } {
  if (i % 50 === 0) {
    const level = (i / 50) % (MAX_DEPTH + 8);
    const parts = Array.from({ length: level }, (_, k) => `d${k}`);
    return { dir: join(tree.dir, 'chain', ...parts), deep: level >= MAX_DEPTH };
  }
  const b = i % 40;
  return {
    dir: join(tree.dir, `branch-${b}`, `y${b % 7}`, `m${i % 12}`, `e${i % 3}`, `s${i % 5}`),
    deep: false,
  };
}

beforeAll(async () => {
  buildOfflineModel();
  for (let i = 0; i < FILES; i++) {
    const { dir, deep } = folderOf(i);
    mkdirSync(dir, { recursive: true });
    if (i < PHOTOS - GROWING) {
      writeFileSync(join(dir, `IMG_${i}.jpg`), await photo(i + 1, 32, 24));
      if (deep) deepOnes++;
    } else {
      // Sidecars, notes, a catalogue: not photos, and not problems either.
      const kind = ['xmp', 'txt', 'json', 'db', 'mov.part'][i % 5];
      writeFileSync(join(dir, `file-${i}.${kind}`), `not a photo ${i}\n`);
    }
  }
  tooDeepFolder = join(
    tree.dir,
    'chain',
    ...Array.from({ length: MAX_DEPTH - 1 }, (_, k) => `d${k}`),
    `d${MAX_DEPTH - 1}`,
  );
  // Loops: a link to the root, to a parent, to itself; a link to a link to the root.
  symlinkSync(tree.dir, join(tree.dir, 'branch-0', 'to-root'));
  symlinkSync('..', join(tree.dir, 'branch-1', 'y1', 'up'));
  symlinkSync('.', join(tree.dir, 'branch-2', 'self'));
  symlinkSync(join(tree.dir, 'branch-0', 'to-root'), join(tree.dir, 'branch-3', 'via-link'));
  before = checksums(tree.dir);
}, 600_000);
afterAll(() => {
  tree.cleanup();
  data.cleanup();
});

describe('a big, deep, looping tree', () => {
  it('finds every photo once, with its final bytes; only the folder past the depth limit is a problem', async () => {
    const core = await createCore({ dataDir: data.dir, shell: 'test', notifier: new RecordingNotifier() });
    try {
      await core.handlers['folders:add']({ path: tree.dir });
      // Photos that are still being copied in: each written in four parts, 300 ms apart.
      await (async () => {
        const dir = join(tree.dir, 'incoming');
        mkdirSync(dir, { recursive: true });
        const whole = await Promise.all(
          Array.from({ length: GROWING }, (_, k) => photo(PHOTOS + k + 1, 640, 480)),
        );
        for (let part = 0; part < 4; part++) {
          for (let k = 0; k < GROWING; k++) {
            const bytes = whole[k]!;
            const quarter = Math.ceil(bytes.length / 4);
            appendFileSync(join(dir, `copy-${k}.jpg`), bytes.subarray(part * quarter, (part + 1) * quarter));
          }
          await new Promise((r) => setTimeout(r, 300));
        }
      })();
      await waitUntilSettled(core, { timeoutMs: 900_000 });
      const problems = await core.handlers['library:problems']({ offset: 0, limit: 100 });
      expect(problems.items.map((p) => p.path)).toEqual([tooDeepFolder]);
      expect(problems.items[0]!.reason).toMatch(/more than \d+ folders deep.*add it .* as a watched folder/);
    } finally {
      await core.close();
    }
    const expected = PHOTOS - GROWING - deepOnes + GROWING;
    expect(healed(data.dir)).toEqual({ photos: expected, withPreviews: expected, withVectors: expected });
    const db = new Database(dataPaths(data.dir).database, { readonly: true });
    try {
      // Once each: no photo under a second name through a loop.
      expect(db.prepare("SELECT count(*) FROM files WHERE status = 'ok'").pluck().get()).toBe(expected);
      // The copies were indexed with their final bytes, not a part of them.
      const final = checksums(join(tree.dir, 'incoming'));
      const hashes = db
        .prepare("SELECT hash FROM files WHERE path LIKE '%/incoming/%' AND status = 'ok' ORDER BY path")
        .pluck()
        .all();
      expect(hashes).toEqual([...final.keys()].sort().map((k) => final.get(k)));
    } finally {
      db.close();
    }
    // The copies written during the test are the only new files; nothing else changed.
    expect(changedOriginals(tree.dir, before).filter((p) => !p.startsWith('incoming/'))).toEqual([]);
  }, 1_200_000);
});
