import { basename, relative, sep } from 'node:path';
import type { Statement } from 'better-sqlite3';
import type { Photo, PhotoDetail, PhotoPage, Problem, TimelineMonth } from '../../../shared/model';
import { type PreviewFormat, thumbPaths } from '../ingest/thumbnails';
import type { Db } from './db';
import { ProblemRows } from './problems';

export interface GalleryFilter {
  folderIds?: number[];
  from?: number;
  to?: number;
}

export interface ListedFile {
  path: string;
  hash: string;
  size: number;
  mtime: number;
  /** The watched folder it is in. */
  folder: string;
}

interface PhotoRow {
  id: number;
  hash: string;
  folder_id: number;
  folder_path: string;
  path: string;
  size: number;
  sort_date: number;
  width: number | null;
  height: number | null;
  taken_at: number | null;
  thumb_state: string;
  thumb_format: PreviewFormat;
}

interface DetailRow extends PhotoRow {
  format: string | null;
  mtime: number;
  camera: string | null;
  lens: string | null;
  lat: number | null;
  lon: number | null;
  orientation: number | null;
}

const SELECT_PHOTO = `
  SELECT f.id, f.hash, f.folder_id, d.path AS folder_path, f.path, f.size, f.sort_date,
         p.width, p.height, p.taken_at, p.thumb_state, p.thumb_format`;

/** `folder/<id>/<path inside the folder>`: how the window asks for an original. */
export function originalMediaPath(folderId: number, folderPath: string, filePath: string): string {
  return `folder/${folderId}/${relative(folderPath, filePath).split(sep).join('/')}`;
}

const JOINED = `${SELECT_PHOTO} FROM files f JOIN photos p ON p.hash = f.hash JOIN folders d ON d.id = f.folder_id`;

/** Filtered statements differ by their filter's shape; a few dozen shapes cover every use. */
const MAX_FILTER_STATEMENTS = 64;

/**
 * What the gallery reads: pages of photos newest first, month counts for its scroll
 * layout, one photo's details. Every list query runs on the files_gallery index. Statements
 * are prepared once (those with a filter once per filter shape).
 */
export class GalleryQueries {
  private readonly s;
  private readonly filtered = new Map<string, Statement>();
  private readonly problemRows: ProblemRows;

  constructor(private readonly db: Db) {
    this.problemRows = new ProblemRows(db);
    this.s = {
      detail: db.prepare(
        `${SELECT_PHOTO}, p.format, f.mtime, p.camera, p.lens, p.lat, p.lon, p.orientation
         FROM files f JOIN photos p ON p.hash = f.hash JOIN folders d ON d.id = f.folder_id WHERE f.id = ?`,
      ),
      otherCopies: db.prepare(
        "SELECT id, path FROM files WHERE hash = ? AND id != ? AND status = 'ok' ORDER BY path",
      ),
      firstCopy: db.prepare(`${JOINED} WHERE f.hash = ? AND f.status = 'ok' ORDER BY f.id LIMIT 1`),
      copies: db.prepare(`${JOINED} WHERE f.hash = ? AND f.status = 'ok' ORDER BY f.id`),
      path: db.prepare("SELECT path FROM files WHERE id = ? AND status = 'ok'").pluck(),
      listed: db.prepare(
        `SELECT f.path, f.hash, f.size, f.mtime, d.path AS folder FROM files f JOIN folders d ON d.id = f.folder_id
         WHERE f.id = ? AND f.status = 'ok'`,
      ),
      exactDuplicates: db
        .prepare("SELECT hash FROM files WHERE status = 'ok' GROUP BY hash HAVING count(*) > 1 LIMIT ?")
        .pluck(),
      fileCount: db.prepare("SELECT count(*) FROM files WHERE status = 'ok'").pluck(),
      photoCount: db.prepare("SELECT count(DISTINCT hash) FROM files WHERE status = 'ok'").pluck(),
    };
  }

  list(filter: GalleryFilter, offset: number, limit: number): PhotoPage {
    const { where, params } = this.where(filter);
    const total = this.statement(`SELECT count(*) FROM files f WHERE ${where}`).pluck().get(params) as number;
    // The page's ids come from the gallery index alone (OFFSET walks index entries, not
    // joined rows); only the rows of the page are then joined with photos and folders.
    const rows = this.statement(
      `WITH page AS (
         SELECT f.id FROM files f WHERE ${where} ORDER BY f.sort_date DESC, f.id DESC LIMIT @limit OFFSET @offset
       )
       ${SELECT_PHOTO} FROM page JOIN files f ON f.id = page.id JOIN photos p ON p.hash = f.hash
       JOIN folders d ON d.id = f.folder_id ORDER BY f.sort_date DESC, f.id DESC`,
    ).all({ ...params, limit, offset }) as PhotoRow[];
    return { total, offset, items: rows.map(toPhoto) };
  }

  /**
   * Photos per month, newest first, in the core's local time. Counted month by month on the
   * gallery index (a range count each) rather than formatting every row's date: at 100,000
   * photos that is a few milliseconds instead of a couple of hundred.
   */
  timeline(filter: GalleryFilter): { total: number; months: TimelineMonth[] } {
    const { where, params } = this.where(filter);
    const span = this.statement(
      `SELECT min(f.sort_date) AS first, max(f.sort_date) AS last FROM files f WHERE ${where}`,
    ).get(params) as { first: number | null; last: number | null };
    if (span.first === null || span.last === null) return { total: 0, months: [] };
    const count = this.statement(
      `SELECT count(*) FROM files f WHERE ${where} AND f.sort_date >= @start AND f.sort_date < @end`,
    ).pluck();
    const months: TimelineMonth[] = [];
    const last = new Date(span.last);
    let year = last.getFullYear();
    let month = last.getMonth();
    for (;;) {
      const start = new Date(year, month, 1).getTime();
      const end = new Date(year, month + 1, 1).getTime();
      const n = count.get({ ...params, start, end }) as number;
      if (n > 0) months.push({ month: `${year}-${String(month + 1).padStart(2, '0')}`, count: n });
      if (start <= span.first) break;
      month -= 1;
      if (month < 0) {
        month = 11;
        year -= 1;
      }
    }
    return { total: months.reduce((s, m) => s + m.count, 0), months };
  }

  get(id: number): PhotoDetail | null {
    const row = this.s.detail.get(id) as DetailRow | undefined;
    if (!row) return null;
    const copies = this.s.otherCopies.all(row.hash, row.id) as { id: number; path: string }[];
    return {
      ...toPhoto(row),
      format: row.format,
      mtime: row.mtime,
      camera: row.camera,
      lens: row.lens,
      gps: row.lat !== null && row.lon !== null ? { lat: row.lat, lon: row.lon } : null,
      orientation: row.orientation,
      copies,
    };
  }

  /** Where a photo's file is (the gallery's id is a file's id), if it is in the library. */
  path(id: number): string | null {
    return (this.s.path.get(id) as string | undefined) ?? null;
  }

  /** A photo's file as the library lists it (what the Trash checks the disk against). */
  listed(id: number): ListedFile | null {
    return (this.s.listed.get(id) as ListedFile | undefined) ?? null;
  }

  /** Photos by content hash (what search results carry), in the order given. */
  byHashes(hashes: string[]): Map<string, Photo> {
    const out = new Map<string, Photo>();
    for (const h of hashes) {
      const row = this.s.firstCopy.get(h) as PhotoRow | undefined;
      if (row) out.set(h, toPhoto(row));
    }
    return out;
  }

  /** Every readable file of one photo (content hash): the copies a duplicate group shows. */
  copiesOf(hash: string): Photo[] {
    return (this.s.copies.all(hash) as PhotoRow[]).map(toPhoto);
  }

  /** The readable files of one photo with the watched folder each is in (for reads that check the real path). */
  filesOf(hash: string): { path: string; folder: string }[] {
    return (this.s.copies.all(hash) as PhotoRow[]).map((r) => ({ path: r.path, folder: r.folder_path }));
  }

  /** Photos with more than one readable file: the same bytes in several places. */
  exactDuplicates(limit: number): string[] {
    return this.s.exactDuplicates.all(limit) as string[];
  }

  problems(offset: number, limit: number): { total: number; items: Problem[] } {
    return this.problemRows.page(offset, limit);
  }

  counts(): { photos: number; files: number } {
    return { photos: this.s.photoCount.get() as number, files: this.s.fileCount.get() as number };
  }

  private statement(sql: string): Statement {
    let stmt = this.filtered.get(sql);
    if (!stmt) {
      if (this.filtered.size >= MAX_FILTER_STATEMENTS) this.filtered.clear();
      stmt = this.db.prepare(sql);
      this.filtered.set(sql, stmt);
    }
    return stmt;
  }

  private where(filter: GalleryFilter): { where: string; params: Record<string, number> } {
    const clauses = ["f.status = 'ok'"];
    const params: Record<string, number> = {};
    if (filter.folderIds && filter.folderIds.length > 0) {
      const names = filter.folderIds.map((id, i) => {
        params[`folder${i}`] = id;
        return `@folder${i}`;
      });
      clauses.push(`f.folder_id IN (${names.join(',')})`);
    }
    if (filter.from !== undefined) {
      clauses.push('f.sort_date >= @from');
      params.from = filter.from;
    }
    if (filter.to !== undefined) {
      clauses.push('f.sort_date <= @to');
      params.to = filter.to;
    }
    return { where: clauses.join(' AND '), params };
  }
}

function toPhoto(row: PhotoRow): Photo {
  const thumbs = thumbPaths(row.hash, row.thumb_format);
  const ready = row.thumb_state === 'done';
  return {
    id: row.id,
    hash: row.hash,
    folderId: row.folder_id,
    name: basename(row.path),
    path: row.path,
    size: row.size,
    width: row.width,
    height: row.height,
    date: row.sort_date,
    takenAt: row.taken_at,
    thumb: ready ? thumbs.small : null,
    preview: ready ? thumbs.large : null,
    original: originalMediaPath(row.folder_id, row.folder_path, row.path),
  };
}
