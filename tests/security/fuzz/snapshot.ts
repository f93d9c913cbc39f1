import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';

/**
 * A checksum of everything the library is: every row of every table of the database (read
 * through a second, read-only connection, as committed), and every other file of the data
 * directory by path and content. Two equal snapshots mean nothing the user has changed.
 */
export interface LibrarySnapshot {
  tables: Record<string, string>;
  files: Record<string, string>;
}

const DATABASE_FILES = new Set(['library.db', 'library.db-wal', 'library.db-shm']);

export function snapshotLibrary(dataDir: string): LibrarySnapshot {
  const db = new Database(join(dataDir, 'library.db'), { readonly: true, fileMustExist: true });
  const tables: Record<string, string> = {};
  try {
    const names = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .pluck()
      .all() as string[];
    for (const name of names) {
      const hash = createHash('sha256');
      // A WITHOUT ROWID table (job_counts) is ordered by its primary key instead.
      const key = db.prepare(`SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk`).pluck();
      const withoutRowid = /WITHOUT\s+ROWID/i.test(
        db.prepare('SELECT sql FROM sqlite_master WHERE name = ?').pluck().get(name) as string,
      );
      const order = withoutRowid ? (key.all(name) as string[]).map((c) => `"${c}"`).join(', ') : 'rowid';
      for (const row of db.prepare(`SELECT * FROM "${name}" ORDER BY ${order}`).iterate())
        hash.update(JSON.stringify(row, (_k, v) => (Buffer.isBuffer(v) ? v.toString('base64') : v)));
      tables[name] = hash.digest('hex');
    }
  } finally {
    db.close();
  }
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const rel = relative(dataDir, path);
      if (entry.isDirectory()) walk(path);
      else if (!DATABASE_FILES.has(rel))
        files[rel] =
          `${statSync(path).size}:${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
    }
  };
  walk(dataDir);
  return { tables, files };
}
