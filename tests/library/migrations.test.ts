// Schema migrations on a real SQLite file: each one is recorded with the hash of its text, and
// a database refuses to open under a build whose released migration text was edited.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrationHash, openDatabase } from '../../src/main/core/library/db';
import { type Migration, migrations } from '../../src/main/core/library/migrations';
import { tempDir } from '../helpers/temp';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function dbFile(): string {
  const t = tempDir('komorebi-migrations-');
  cleanups.push(t.cleanup);
  return join(t.dir, 'library.db');
}

type Applied = { version: number; name: string; hash: string | null };

/** Read without migrating: what the database itself recorded. */
function applied(file: string): Applied[] {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare('SELECT version, name, hash FROM schema_migrations ORDER BY version')
      .all() as Applied[];
  } finally {
    db.close();
  }
}

/** The same migrations with one text changed, as an edit to a released file would do. */
function edited(version: number): Migration[] {
  return migrations.map((m) =>
    m.version === version ? { ...m, sql: `${m.sql}\nCREATE INDEX edited ON settings(value);` } : m,
  );
}

describe('migrations', () => {
  it('records each applied migration with the SHA-256 of its text', () => {
    const file = dbFile();
    openDatabase(file).close();
    const rows = applied(file);
    expect(rows.map((r) => r.version)).toEqual(migrations.map((m) => m.version));
    for (const m of migrations) {
      const sha = createHash('sha256').update(m.sql).digest('hex');
      expect(rows.find((r) => r.version === m.version)?.hash).toBe(sha);
      expect(migrationHash(m)).toBe(sha);
    }
    // Opening again with the same texts is fine and changes nothing.
    openDatabase(file).close();
    expect(applied(file)).toEqual(rows);
  });

  it('refuses to open a database whose released migration was edited, and says which', () => {
    const file = dbFile();
    openDatabase(file).close();
    const before = applied(file);
    expect(() => openDatabase(file, edited(3))).toThrow(/schema step 3 \("vector outbox"\)/);
    expect(() => openDatabase(file, edited(3))).toThrow(/restore migration 3 to its released text/);
    // Nothing was applied or re-recorded: the database is as it was.
    expect(applied(file)).toEqual(before);
    const db = openDatabase(file);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'edited'").pluck().get()).toBe(0);
    db.close();
  });

  it('records the hashes of a database from before hashes were kept, then checks them', () => {
    const file = dbFile();
    const old = openDatabase(file);
    old.exec('ALTER TABLE schema_migrations DROP COLUMN hash');
    old.close();
    openDatabase(file).close();
    expect(
      applied(file).every((r) => r.hash === migrationHash(migrations.find((m) => m.version === r.version)!)),
    ).toBe(true);
    expect(() => openDatabase(file, edited(1))).toThrow(/schema step 1 \("library"\)/);
  });

  it('applies only what is new, and refuses a database from a newer Komorebi', () => {
    const file = dbFile();
    openDatabase(file, migrations.slice(0, 3)).close();
    expect(applied(file).map((r) => r.version)).toEqual([1, 2, 3]);
    openDatabase(file).close();
    expect(applied(file).map((r) => r.version)).toEqual(migrations.map((m) => m.version));
    expect(() => openDatabase(file, migrations.slice(0, 3))).toThrow(/written by a newer Komorebi/);
  });
});
