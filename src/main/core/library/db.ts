import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrations as allMigrations, type Migration } from './migrations';

export type Db = Database.Database;

/**
 * Opens (or creates) the library database: WAL so readers never wait for the writer,
 * foreign keys on, and every pending migration applied. A database written by a newer
 * Komorebi is refused rather than silently misread.
 */
export function openDatabase(file: string, migrations: Migration[] = allMigrations): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  try {
    migrate(db, migrations);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** What a migration's text hashes to (line endings made uniform, so a Windows checkout agrees). */
export function migrationHash(m: Migration): string {
  return createHash('sha256').update(m.sql.replace(/\r\n/g, '\n')).digest('hex');
}

/**
 * Applies pending migrations, each in its own transaction, recording the hash of its text.
 * A migration already applied must still hash the same: if its text changed, this build
 * and the database disagree on what the schema is, so the database is not opened.
 */
export function migrate(db: Db, migrations: Migration[]): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL, hash TEXT)',
  );
  // Databases from before hashes were recorded get the column; their hashes are filled below.
  const columns = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('schema_migrations');
  if (!columns.includes('hash')) db.exec('ALTER TABLE schema_migrations ADD COLUMN hash TEXT');
  const applied = new Map(
    (
      db.prepare('SELECT version, hash FROM schema_migrations').all() as {
        version: number;
        hash: string | null;
      }[]
    ).map((r) => [r.version, r.hash]),
  );
  const known = Math.max(0, ...migrations.map((m) => m.version));
  const newest = Math.max(0, ...applied.keys());
  if (newest > known) {
    throw new Error(
      `The library database was written by a newer Komorebi (schema ${newest}, this version knows ${known}). Update Komorebi or choose another data directory.`,
    );
  }
  const record = db.prepare('UPDATE schema_migrations SET hash = ? WHERE version = ?');
  for (const m of migrations) {
    if (!applied.has(m.version)) continue;
    const recorded = applied.get(m.version);
    const hash = migrationHash(m);
    if (recorded === null || recorded === undefined) record.run(hash, m.version);
    else if (recorded !== hash) throw new EditedMigrationError(db.name, m, recorded, hash);
  }
  const insert = db.prepare(
    'INSERT INTO schema_migrations (version, name, applied_at, hash) VALUES (?, ?, ?, ?)',
  );
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  for (const m of sorted) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      insert.run(m.version, m.name, Date.now(), migrationHash(m));
    })();
  }
}

/** A released migration's text changed after a database applied it. */
export class EditedMigrationError extends Error {
  constructor(file: string, m: Migration, recorded: string, now: string) {
    super(
      `Komorebi will not open the library database ${file}: its schema step ${m.version} ("${m.name}") was applied from a different text than this build of Komorebi has (recorded ${recorded.slice(0, 12)}, now ${now.slice(0, 12)}), so this build cannot tell what the schema really is. The database was not changed. Use the Komorebi build that made it; developers: restore migration ${m.version} to its released text and put the change in a new migration.`,
    );
    this.name = 'EditedMigrationError';
  }
}
