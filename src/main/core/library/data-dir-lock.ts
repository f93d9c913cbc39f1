import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** Who holds a data directory: written beside the lock so a second process can name it. */
export interface DataDirHolder {
  pid: number;
  shell: string;
  startedAt: number;
  host: string;
}

export interface DataDirLock {
  readonly dataDir: string;
  readonly holder: DataDirHolder;
  /** Lets the next process in. Safe to call twice. */
  release(): void;
}

/** Another process has this data directory open; nothing was written. */
export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: DataDirHolder | null,
  ) {
    super(
      `Another Komorebi is already using the library in ${dataDir}: ${describeHolder(holder)}. ` +
        'Quit that one first, or start this one with another data directory (--data-dir or KOMOREBI_DATA_DIR).',
    );
    this.name = 'DataDirInUseError';
  }
}

const LOCK_FILE = 'komorebi.lock';
const HOLDER_FILE = 'komorebi.lock.json';

/**
 * One data directory, one process. Two processes on one library would both reset each
 * other's running jobs and both write the vector file at their own slots.
 *
 * The lock is an exclusive SQLite lock on `komorebi.lock` (an empty database): the OS
 * holds it for the process (fcntl on POSIX, LockFileEx on Windows) and drops it the moment
 * the process dies, however it dies. So a stale lock cannot exist: a killed process's lock
 * is simply free, and there is no timeout to guess (a busy process is never mistaken for a
 * dead one, as with a lock file refreshed on a timer). The holder's pid and shell are kept in
 * a small JSON file beside it, only to say who has the library.
 */
export function lockDataDir(dataDir: string, shell: string): DataDirLock {
  let db: Database.Database;
  try {
    mkdirSync(dataDir, { recursive: true });
    db = new Database(join(dataDir, LOCK_FILE), { timeout: 0 });
  } catch (error) {
    throw cannotWrite(dataDir, error);
  }
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = MEMORY');
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') {
      throw new DataDirInUseError(dataDir, readHolder(dataDir));
    }
    throw cannotWrite(dataDir, error);
  }
  const holder: DataDirHolder = { pid: process.pid, shell, startedAt: Date.now(), host: hostname() };
  try {
    const temp = join(dataDir, `${HOLDER_FILE}.${process.pid}.tmp`);
    writeFileSync(temp, `${JSON.stringify(holder)}\n`);
    renameSync(temp, join(dataDir, HOLDER_FILE));
  } catch (error) {
    db.close();
    throw cannotWrite(dataDir, error);
  }
  let released = false;
  return {
    dataDir,
    holder,
    release() {
      if (released) return;
      released = true;
      // The holder file goes first: once the lock is free, the file may already be the next holder's.
      rmSync(join(dataDir, HOLDER_FILE), { force: true });
      db.close();
    },
  };
}

/** Who holds the library now, or null if nobody does (or the note is unreadable). */
export function readHolder(dataDir: string): DataDirHolder | null {
  try {
    const parsed = JSON.parse(readFileSync(join(dataDir, HOLDER_FILE), 'utf8')) as Partial<DataDirHolder>;
    if (typeof parsed.pid !== 'number' || typeof parsed.shell !== 'string') return null;
    return {
      pid: parsed.pid,
      shell: parsed.shell,
      startedAt: Number(parsed.startedAt) || 0,
      host: String(parsed.host ?? ''),
    };
  } catch {
    return null;
  }
}

const SHELL_NAMES: Record<string, string> = {
  electron: 'the desktop app',
  browser: 'browser mode (npm run serve)',
  test: 'a test',
};

function describeHolder(holder: DataDirHolder | null): string {
  if (!holder) return 'a process that did not say who it is';
  const started = holder.startedAt ? `, started ${new Date(holder.startedAt).toLocaleString()}` : '';
  const host = holder.host && holder.host !== hostname() ? ` on ${holder.host}` : '';
  return `process ${holder.pid}${host} (${SHELL_NAMES[holder.shell] ?? holder.shell}${started})`;
}

function cannotWrite(dataDir: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const why =
    code === 'EROFS' || code === 'SQLITE_READONLY'
      ? 'it is on a read-only file system or cannot be written'
      : code === 'EACCES' || code === 'EPERM' || code === 'SQLITE_CANTOPEN'
        ? 'Komorebi may not create files there (read-only, or permission denied)'
        : code === 'ENOSPC' || code === 'SQLITE_FULL'
          ? 'the disk is full'
          : (error as Error).message;
  return new Error(
    `Komorebi cannot open its data directory ${dataDir}: ${why}. Choose a folder you can write to (--data-dir or KOMOREBI_DATA_DIR), or free some space, then start again.`,
    { cause: error },
  );
}
