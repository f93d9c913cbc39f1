import { sep } from 'node:path';
import type { Db } from '../library/db';
import type { ImageInfo } from './image-info';
import type { PreviewFormat } from './thumbnails';

export interface FileRow {
  id: number;
  folder_id: number;
  path: string;
  hash: string | null;
  size: number;
  mtime: number;
  status: 'ok' | 'bad' | 'unsupported';
  error: string | null;
}

export interface FolderRow {
  id: number;
  path: string;
  added_at: number;
  status: 'scanning' | 'watching' | 'offline' | 'error';
  error: string | null;
  last_scan_at: number | null;
  root_dev: string | null;
}

/**
 * Bounds for "every path under dir" on the files.path index: the separator + 1 is the
 * first string past all of them ('/' + 1 = '0' on POSIX, '\\' + 1 = ']' on Windows).
 */
export function under(dir: string): [string, string] {
  return [dir + sep, dir + String.fromCharCode(sep.charCodeAt(0) + 1)];
}

/**
 * The SQL that ingest needs, in one place. Every write that changes which files point at
 * a photo also keeps photos.orphaned_at right, so garbage collection never races a move.
 */
export class LibraryFiles {
  constructor(private readonly db: Db) {}

  folder(id: number): FolderRow | undefined {
    return this.db.prepare('SELECT * FROM folders WHERE id = ?').get(id) as FolderRow | undefined;
  }

  folders(): FolderRow[] {
    return this.db.prepare('SELECT * FROM folders ORDER BY path').all() as FolderRow[];
  }

  photoCounts(): Map<number, number> {
    const rows = this.db
      .prepare("SELECT folder_id AS id, count(*) AS n FROM files WHERE status = 'ok' GROUP BY folder_id")
      .all() as { id: number; n: number }[];
    return new Map(rows.map((r) => [r.id, r.n]));
  }

  setFolderStatus(id: number, status: FolderRow['status'], error: string | null = null): boolean {
    const info = this.db
      .prepare(
        "UPDATE folders SET status = ?, error = ? WHERE id = ? AND (status != ? OR coalesce(error, '') != coalesce(?, ''))",
      )
      .run(status, error, id, status, error);
    return info.changes > 0;
  }

  scanFinished(id: number, rootDev: string): void {
    this.db
      .prepare(
        "UPDATE folders SET status = 'watching', error = NULL, last_scan_at = ?, root_dev = ? WHERE id = ?",
      )
      .run(Date.now(), rootDev, id);
  }

  file(path: string): FileRow | undefined {
    return this.db.prepare('SELECT * FROM files WHERE path = ?').get(path) as FileRow | undefined;
  }

  /** size+mtime of every file under a folder, for the scan's "unchanged?" test. */
  fileStamps(folderId: number): Map<string, { size: number; mtime: number; error: string | null }> {
    const rows = this.db
      .prepare('SELECT path, size, mtime, error FROM files WHERE folder_id = ?')
      .all(folderId) as {
      path: string;
      size: number;
      mtime: number;
      error: string | null;
    }[];
    return new Map(rows.map((r) => [r.path, { size: r.size, mtime: r.mtime, error: r.error }]));
  }

  /** size+mtime of the files directly in one directory (not its subfolders). */
  stampsIn(dir: string): Map<string, { size: number; mtime: number; error: string | null }> {
    const [lo, hi] = under(dir);
    const rows = this.db
      .prepare(
        'SELECT path, size, mtime, error FROM files WHERE path >= ? AND path < ? AND instr(substr(path, ?), ?) = 0',
      )
      .all(lo, hi, lo.length + 1, sep) as {
      path: string;
      size: number;
      mtime: number;
      error: string | null;
    }[];
    return new Map(rows.map((r) => [r.path, { size: r.size, mtime: r.mtime, error: r.error }]));
  }

  pathsUnder(dir: string): string[] {
    const [lo, hi] = under(dir);
    return (
      this.db.prepare('SELECT path FROM files WHERE path >= ? AND path < ?').all(lo, hi) as { path: string }[]
    ).map((r) => r.path);
  }

  photoExists(hash: string): { taken_at: number | null } | undefined {
    return this.db.prepare('SELECT taken_at FROM photos WHERE hash = ?').get(hash) as
      | { taken_at: number | null }
      | undefined;
  }

  /** Links a file to a photo (inserting the photo if new), in one transaction. */
  linkFile(
    f: { folderId: number; path: string; hash: string; size: number; mtime: number },
    photo: (ImageInfo & { thumbState: 'pending' | 'done'; thumbFormat: PreviewFormat }) | null,
  ): 'added' | 'updated' {
    return this.db.transaction(() => {
      const now = Date.now();
      if (photo) {
        this.db
          .prepare(
            `INSERT INTO photos (hash, size, width, height, format, taken_at, camera, lens, lat, lon, orientation, thumb_state, thumb_format, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(hash) DO NOTHING`,
          )
          .run(
            f.hash,
            f.size,
            photo.width,
            photo.height,
            photo.format,
            photo.takenAt,
            photo.camera,
            photo.lens,
            photo.lat,
            photo.lon,
            photo.orientation,
            photo.thumbState,
            photo.thumbFormat,
            now,
          );
      }
      this.db.prepare('UPDATE photos SET orphaned_at = NULL WHERE hash = ?').run(f.hash);
      const row = this.db.prepare('SELECT taken_at FROM photos WHERE hash = ?').get(f.hash) as
        | { taken_at: number | null }
        | undefined;
      if (!row)
        throw new Error(
          `The photo ${f.hash} left the library while ${f.path} was being added; it will be added again.`,
        );
      const takenAt = row.taken_at;
      const previous = this.file(f.path);
      this.upsertFile({ ...f, status: 'ok', error: null, sortDate: takenAt ?? f.mtime });
      if (previous?.hash && previous.hash !== f.hash) this.markOrphans([previous.hash]);
      this.db.prepare("DELETE FROM problems WHERE path = ? AND kind = 'file'").run(f.path);
      return previous?.status === 'ok' ? 'updated' : 'added';
    })();
  }

  /** Records a file that cannot be shown, keeping it visible in Activity (never dropped silently). */
  rejectFile(
    f: { folderId: number; path: string; size: number; mtime: number },
    status: 'bad' | 'unsupported',
    reason: string,
  ): boolean {
    return this.db.transaction(() => {
      const previous = this.file(f.path);
      this.upsertFile({ ...f, hash: null, status, error: reason, sortDate: f.mtime });
      if (previous?.hash) this.markOrphans([previous.hash]);
      this.addProblem(f.path, 'file', reason);
      return previous?.status === 'ok';
    })();
  }

  private upsertFile(f: {
    folderId: number;
    path: string;
    hash: string | null;
    size: number;
    mtime: number;
    status: string;
    error: string | null;
    sortDate: number;
  }): void {
    const now = Date.now();
    this.db
      .prepare(
        `INSERT INTO files (folder_id, path, hash, size, mtime, status, error, sort_date, added_at, updated_at)
         VALUES (@folderId, @path, @hash, @size, @mtime, @status, @error, @sortDate, @now, @now)
         ON CONFLICT(path) DO UPDATE SET folder_id = excluded.folder_id, hash = excluded.hash, size = excluded.size,
           mtime = excluded.mtime, status = excluded.status, error = excluded.error, sort_date = excluded.sort_date,
           updated_at = excluded.updated_at`,
      )
      .run({ ...f, now });
  }

  /** Forgets files (never touches the disk). Returns how many were shown in the gallery. */
  removeFiles(paths: string[]): number {
    if (paths.length === 0) return 0;
    return this.db.transaction(() => {
      const get = this.db.prepare('SELECT hash, status FROM files WHERE path = ?');
      const del = this.db.prepare('DELETE FROM files WHERE path = ?');
      const delProblem = this.db.prepare('DELETE FROM problems WHERE path = ?');
      const hashes: string[] = [];
      let shown = 0;
      for (const p of paths) {
        const row = get.get(p) as { hash: string | null; status: string } | undefined;
        if (!row) continue;
        del.run(p);
        delProblem.run(p);
        if (row.hash) hashes.push(row.hash);
        if (row.status === 'ok') shown++;
      }
      this.markOrphans(hashes);
      return shown;
    })();
  }

  /** Forgets a folder, its files and their problems; the photos become orphans (GC later). */
  removeFolder(id: number, root: string): void {
    this.db.transaction(() => {
      const hashes = (
        this.db
          .prepare('SELECT DISTINCT hash FROM files WHERE folder_id = ? AND hash IS NOT NULL')
          .all(id) as { hash: string }[]
      ).map((r) => r.hash);
      this.db.prepare('DELETE FROM files WHERE folder_id = ?').run(id);
      const [lo, hi] = under(root);
      this.db.prepare('DELETE FROM problems WHERE path = ? OR (path >= ? AND path < ?)').run(root, lo, hi);
      this.db.prepare('DELETE FROM folders WHERE id = ?').run(id);
      this.markOrphans(hashes);
    })();
  }

  markOrphans(hashes: string[]): void {
    const stmt = this.db.prepare(
      `UPDATE photos SET orphaned_at = ? WHERE hash = ? AND orphaned_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM files WHERE files.hash = photos.hash)`,
    );
    const now = Date.now();
    for (const h of hashes) stmt.run(now, h);
  }

  addProblem(path: string, kind: string, reason: string): void {
    this.db
      .prepare(
        'INSERT INTO problems (path, kind, reason, at) VALUES (?, ?, ?, ?) ON CONFLICT(path, kind) DO UPDATE SET reason = excluded.reason, at = excluded.at',
      )
      .run(path, kind, reason, Date.now());
  }

  clearProblem(path: string, kind: string): void {
    this.db.prepare('DELETE FROM problems WHERE path = ? AND kind = ?').run(path, kind);
  }

  /** Folder-level problems under a root (unreadable subfolders), cleared at the start of each scan. */
  clearFolderProblemsUnder(root: string): void {
    const [lo, hi] = under(root);
    this.db
      .prepare("DELETE FROM problems WHERE kind = 'folder' AND (path = ? OR (path >= ? AND path < ?))")
      .run(root, lo, hi);
  }

  setThumbState(hash: string, state: 'failed' | 'pending', error: string | null = null): void {
    this.db
      .prepare('UPDATE photos SET thumb_state = ?, thumb_error = ? WHERE hash = ?')
      .run(state, error, hash);
  }

  /** The previews of `hash` are written, in `format`. */
  thumbsDone(hash: string, format: PreviewFormat): void {
    this.db
      .prepare("UPDATE photos SET thumb_state = 'done', thumb_error = NULL, thumb_format = ? WHERE hash = ?")
      .run(format, hash);
  }

  /** A readable copy of the photo (any ok file with that hash, preferring an online folder). */
  sourceOf(hash: string): { path: string; folder_id: number } | undefined {
    return this.db
      .prepare(
        `SELECT files.path, files.folder_id FROM files JOIN folders ON folders.id = files.folder_id
         WHERE files.hash = ? AND files.status = 'ok' ORDER BY folders.status = 'offline', files.id LIMIT 1`,
      )
      .get(hash) as { path: string; folder_id: number } | undefined;
  }

  pendingThumbnails(): string[] {
    return (
      this.db
        .prepare("SELECT hash FROM photos WHERE thumb_state = 'pending' AND orphaned_at IS NULL")
        .all() as { hash: string }[]
    ).map((r) => r.hash);
  }
}
