import type { Problem } from '../../../shared/model';
import type { Db } from './db';

/** Bounds for "every path under dir": see `under` in ingest/library-files.ts. */
type PathRange = [from: string, to: string];

/**
 * The problems table: what Activity lists (a file that cannot be read, a folder that cannot
 * be listed, a thumbnail or a vector that could not be made), one row per path and kind.
 */
export class ProblemRows {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      add: db.prepare(
        'INSERT INTO problems (path, kind, reason, at) VALUES (?, ?, ?, ?) ON CONFLICT(path, kind) DO UPDATE SET reason = excluded.reason, at = excluded.at',
      ),
      clear: db.prepare('DELETE FROM problems WHERE path = ? AND kind = ?'),
      clearPath: db.prepare('DELETE FROM problems WHERE path = ?'),
      clearUnder: db.prepare('DELETE FROM problems WHERE path = ? OR (path >= ? AND path < ?)'),
      clearFolderProblemsUnder: db.prepare(
        "DELETE FROM problems WHERE kind = 'folder' AND (path = ? OR (path >= ? AND path < ?))",
      ),
      count: db.prepare('SELECT count(*) FROM problems').pluck(),
      page: db.prepare(
        'SELECT id, path, kind, reason, at FROM problems ORDER BY at DESC, id DESC LIMIT ? OFFSET ?',
      ),
    };
  }

  add(path: string, kind: string, reason: string): void {
    this.s.add.run(path, kind, reason, Date.now());
  }

  /** One kind of problem of a path, or all of them. */
  clear(path: string, kind?: string): void {
    if (kind === undefined) this.s.clearPath.run(path);
    else this.s.clear.run(path, kind);
  }

  /** Every problem of a folder and what is under it, or only its folder-level ones (unreadable subfolders). */
  clearUnder(root: string, [from, to]: PathRange, onlyFolders = false): void {
    (onlyFolders ? this.s.clearFolderProblemsUnder : this.s.clearUnder).run(root, from, to);
  }

  /** Newest first, for Activity. */
  page(offset: number, limit: number): { total: number; items: Problem[] } {
    return { total: this.s.count.get() as number, items: this.s.page.all(limit, offset) as Problem[] };
  }
}
