// The gallery's reads on a real SQLite file: pages newest first with filters, and month
// counts that add up to the same photos in the same order (the grid lays itself out from them).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../src/main/core/library/db';
import { GalleryQueries } from '../../src/main/core/library/gallery';
import { tempDir } from '../helpers/temp';

let db: Db;
let gallery: GalleryQueries;
let cleanup: () => void;
const dates: { id: number; folder: number; date: number }[] = [];

beforeAll(() => {
  const t = tempDir();
  cleanup = t.cleanup;
  db = openDatabase(join(t.dir, 'library.db'));
  gallery = new GalleryQueries(db);
  const now = Date.now();
  db.prepare(
    "INSERT INTO folders (id, path, added_at, status) VALUES (1, '/p/a', ?, 'watching'), (2, '/p/b', ?, 'watching')",
  ).run(now, now);
  let seed = 7;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let i = 1; i <= 500; i++) {
    const date = new Date(
      2019 + Math.floor(rand() * 6),
      Math.floor(rand() * 12),
      1 + Math.floor(rand() * 28),
      Math.floor(rand() * 24),
    ).getTime();
    const folder = 1 + (i % 2);
    const hash = i.toString(16).padStart(64, '0');
    db.prepare("INSERT INTO photos (hash, size, created_at, thumb_state) VALUES (?, 10, ?, 'done')").run(
      hash,
      now,
    );
    db.prepare(
      "INSERT INTO files (id, folder_id, path, hash, size, mtime, status, sort_date, added_at, updated_at) VALUES (?, ?, ?, ?, 10, ?, 'ok', ?, ?, ?)",
    ).run(i, folder, `/p/${folder === 1 ? 'a' : 'b'}/x/${i}.jpg`, hash, date, date, now, now);
    dates.push({ id: i, folder, date });
  }
  // Files that are not shown: a bad one and an unsupported one.
  db.prepare(
    "INSERT INTO files (folder_id, path, size, mtime, status, sort_date, added_at, updated_at) VALUES (1, '/p/a/bad.jpg', 0, 0, 'bad', ?, 0, 0), (1, '/p/a/x.heic', 1, 0, 'unsupported', ?, 0, 0)",
  ).run(now, now);
});

afterAll(() => {
  db.close();
  cleanup();
});

const newestFirst = (a: { id: number; date: number }, b: { id: number; date: number }) =>
  b.date - a.date || b.id - a.id;
const monthOf = (ms: number) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
};

describe('gallery queries', () => {
  it('pages through every shown photo newest first, with media paths', () => {
    const seen: number[] = [];
    for (let offset = 0; ; offset += 64) {
      const page = gallery.list({}, offset, 64);
      expect(page.total).toBe(500);
      if (page.items.length === 0) break;
      seen.push(...page.items.map((p) => p.id));
    }
    expect(seen).toEqual([...dates].sort(newestFirst).map((d) => d.id));
    const first = gallery.list({}, 0, 1).items[0]!;
    expect(first.original).toMatch(/^folder\/[12]\/x\/\d+\.jpg$/);
    // Rows from before previews were JPEG keep naming their WebP files; new ones name JPEGs.
    expect(first.thumb).toBe(`thumbs/${first.hash.slice(0, 2)}/${first.hash}_s.webp`);
    db.prepare("UPDATE photos SET thumb_format = 'jpeg' WHERE hash = ?").run(first.hash);
    const again = gallery.list({}, 0, 1).items[0]!;
    expect([again.thumb, again.preview]).toEqual([
      `thumbs/${first.hash.slice(0, 2)}/${first.hash}_s.jpg`,
      `thumbs/${first.hash.slice(0, 2)}/${first.hash}_l.jpg`,
    ]);
    db.prepare("UPDATE photos SET thumb_format = 'webp' WHERE hash = ?").run(first.hash);
  });

  it('filters by folder and by date range', () => {
    const from = new Date(2021, 0, 1).getTime();
    const to = new Date(2022, 11, 31, 23, 59).getTime();
    const expected = dates.filter((d) => d.folder === 2 && d.date >= from && d.date <= to).sort(newestFirst);
    const page = gallery.list({ folderIds: [2], from, to }, 0, 1000);
    expect(page.total).toBe(expected.length);
    expect(page.items.map((p) => p.id)).toEqual(expected.map((d) => d.id));
  });

  it('counts photos per month in the order the pages list them', () => {
    const { total, months } = gallery.timeline({});
    expect(total).toBe(500);
    const expected = new Map<string, number>();
    for (const d of [...dates].sort(newestFirst))
      expected.set(monthOf(d.date), (expected.get(monthOf(d.date)) ?? 0) + 1);
    expect(months).toEqual([...expected].map(([month, count]) => ({ month, count })));
    const inFolder = gallery.timeline({ folderIds: [1] });
    expect(inFolder.total).toBe(250);
  });

  it('lists problems and counts', () => {
    expect(gallery.counts()).toEqual({ photos: 500, files: 500 });
    expect(gallery.timeline({ folderIds: [99] })).toEqual({ total: 0, months: [] });
  });
});
