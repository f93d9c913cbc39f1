import { basename, relative, sep } from 'node:path';
import type { Photo, PhotoDetail, PhotoPage, Problem, TimelineMonth } from '../../../shared/model';
import { type PreviewFormat, thumbPaths } from '../ingest/thumbnails';
import type { Db } from './db';

export interface GalleryFilter {
  folderIds?: number[];
  from?: number;
  to?: number;
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

/**
 * What the gallery reads: pages of photos newest first, month counts for its scroll
 * layout, one photo's details. Every list query runs on the files_gallery index.
 */
export class GalleryQueries {
  constructor(private readonly db: Db) {}

  list(filter: GalleryFilter, offset: number, limit: number): PhotoPage {
    const { where, params } = this.where(filter);
    const total = (
      this.db.prepare(`SELECT count(*) AS n FROM files f WHERE ${where}`).get(params) as { n: number }
    ).n;
    // The page's ids come from the gallery index alone (OFFSET walks index entries, not
    // joined rows); only the rows of the page are then joined with photos and folders.
    const rows = this.db
      .prepare(
        `WITH page AS (
           SELECT f.id FROM files f WHERE ${where} ORDER BY f.sort_date DESC, f.id DESC LIMIT @limit OFFSET @offset
         )
         ${SELECT_PHOTO} FROM page JOIN files f ON f.id = page.id JOIN photos p ON p.hash = f.hash
         JOIN folders d ON d.id = f.folder_id ORDER BY f.sort_date DESC, f.id DESC`,
      )
      .all({ ...params, limit, offset }) as PhotoRow[];
    return { total, offset, items: rows.map(toPhoto) };
  }

  /**
   * Photos per month, newest first, in the core's local time. Counted month by month on the
   * gallery index (a range count each) rather than formatting every row's date: at 100,000
   * photos that is a few milliseconds instead of a couple of hundred.
   */
  timeline(filter: GalleryFilter): { total: number; months: TimelineMonth[] } {
    const { where, params } = this.where(filter);
    const span = this.db
      .prepare(`SELECT min(f.sort_date) AS first, max(f.sort_date) AS last FROM files f WHERE ${where}`)
      .get(params) as { first: number | null; last: number | null };
    if (span.first === null || span.last === null) return { total: 0, months: [] };
    const count = this.db.prepare(
      `SELECT count(*) FROM files f WHERE ${where} AND f.sort_date >= @start AND f.sort_date < @end`,
    );
    const months: TimelineMonth[] = [];
    const last = new Date(span.last);
    let year = last.getFullYear();
    let month = last.getMonth();
    for (;;) {
      const start = new Date(year, month, 1).getTime();
      const end = new Date(year, month + 1, 1).getTime();
      const n = count.pluck().get({ ...params, start, end }) as number;
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
    const row = this.db
      .prepare(
        `${SELECT_PHOTO}, p.format, f.mtime, p.camera, p.lens, p.lat, p.lon, p.orientation
         FROM files f JOIN photos p ON p.hash = f.hash JOIN folders d ON d.id = f.folder_id WHERE f.id = ?`,
      )
      .get(id) as DetailRow | undefined;
    if (!row) return null;
    const copies = this.db
      .prepare("SELECT id, path FROM files WHERE hash = ? AND id != ? AND status = 'ok' ORDER BY path")
      .all(row.hash, row.id) as { id: number; path: string }[];
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

  /** Photos by content hash (what search results carry), in the order given. */
  byHashes(hashes: string[]): Map<string, Photo> {
    const out = new Map<string, Photo>();
    const stmt = this.db.prepare(
      `${SELECT_PHOTO} FROM files f JOIN photos p ON p.hash = f.hash JOIN folders d ON d.id = f.folder_id
       WHERE f.hash = ? AND f.status = 'ok' ORDER BY f.id LIMIT 1`,
    );
    for (const h of hashes) {
      const row = stmt.get(h) as PhotoRow | undefined;
      if (row) out.set(h, toPhoto(row));
    }
    return out;
  }

  /** Every readable file of one photo (content hash): the copies a duplicate group shows. */
  copiesOf(hash: string): Photo[] {
    const rows = this.db
      .prepare(
        `${SELECT_PHOTO} FROM files f JOIN photos p ON p.hash = f.hash JOIN folders d ON d.id = f.folder_id
         WHERE f.hash = ? AND f.status = 'ok' ORDER BY f.id`,
      )
      .all(hash) as PhotoRow[];
    return rows.map(toPhoto);
  }

  problems(offset: number, limit: number): { total: number; items: Problem[] } {
    const total = (this.db.prepare('SELECT count(*) AS n FROM problems').get() as { n: number }).n;
    const items = this.db
      .prepare('SELECT id, path, kind, reason, at FROM problems ORDER BY at DESC, id DESC LIMIT ? OFFSET ?')
      .all(limit, offset) as Problem[];
    return { total, items };
  }

  counts(): { photos: number; files: number } {
    const files = (
      this.db.prepare("SELECT count(*) AS n FROM files WHERE status = 'ok'").get() as { n: number }
    ).n;
    const photos = (
      this.db.prepare("SELECT count(DISTINCT hash) AS n FROM files WHERE status = 'ok'").get() as {
        n: number;
      }
    ).n;
    return { photos, files };
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
