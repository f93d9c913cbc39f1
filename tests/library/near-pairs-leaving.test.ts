// Look-alike pairs have two writers (the background find-neighbours jobs and the Duplicates
// view looking up photos the jobs have not reached); a lookup that finishes after a photo was
// forgotten (its vector still in the store, on its way out) must not write a pair naming it,
// which nothing would ever prune. Real SQLite, the real repository.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/main/core/library/db';
import { NearPairs } from '../../src/main/core/search/near-pairs';
import { tempDir } from '../helpers/temp';

const dir = tempDir('komorebi-near-pairs-');
afterAll(() => dir.cleanup());

describe('look-alike pairs of a photo that left', () => {
  it('are never written by a lookup that finishes after it was forgotten', () => {
    const db = openDatabase(join(dir.dir, 'library.db'));
    const addPhoto = db.prepare('INSERT INTO photos (hash, size, created_at) VALUES (?, 1, 0)');
    for (const h of ['a', 'b', 'c']) addPhoto.run(h);
    const pairs = new NearPairs(db);
    // b is forgotten for good (garbage collection) while a's lookup is still running.
    db.prepare('DELETE FROM photos WHERE hash = ?').run('b');
    pairs.forget(['b']);
    pairs.record('m', 'a', [
      { id: 'b', score: 0.95 },
      { id: 'c', score: 0.9 },
    ]);
    pairs.record('m', 'b', [{ id: 'c', score: 0.93 }]);
    const naming = (h: string) =>
      db.prepare('SELECT count(*) FROM near_pairs WHERE ? IN (a, b)').pluck().get(h) as number;
    expect(naming('b')).toBe(0);
    expect(db.prepare('SELECT a, b, score FROM near_pairs').all()).toEqual([{ a: 'a', b: 'c', score: 0.9 }]);
    expect(db.prepare('SELECT hash FROM near_scanned ORDER BY hash').pluck().all()).toEqual(['a']);
    db.close();
  });
});
