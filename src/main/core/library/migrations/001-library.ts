import type { Migration } from './index';

/**
 * The library: watched folders, photos (one row per distinct content, keyed by hash),
 * files (a path in a folder pointing at a photo), the durable job queue and settings.
 * A file keeps `sort_date` (date taken, else mtime) denormalised so the gallery can page
 * through 100k rows on one index.
 */
export const libraryMigration: Migration = {
  version: 1,
  name: 'library',
  sql: `
CREATE TABLE folders (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,
  added_at INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'scanning',  -- scanning | watching | offline | error
  error TEXT,
  last_scan_at INTEGER
);

CREATE TABLE photos (
  hash TEXT PRIMARY KEY,                     -- sha-256 of the bytes: the photo's identity
  size INTEGER NOT NULL,
  width INTEGER,
  height INTEGER,
  format TEXT,
  taken_at INTEGER,                          -- ms since epoch, from EXIF
  camera TEXT,
  lens TEXT,
  lat REAL,
  lon REAL,
  orientation INTEGER,
  thumb_state TEXT NOT NULL DEFAULT 'pending', -- pending | done | failed
  thumb_error TEXT,
  created_at INTEGER NOT NULL
);

CREATE TABLE files (
  id INTEGER PRIMARY KEY,
  folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
  path TEXT NOT NULL UNIQUE,
  hash TEXT REFERENCES photos(hash),
  size INTEGER NOT NULL,
  mtime INTEGER NOT NULL,
  status TEXT NOT NULL,                      -- ok | bad | unsupported
  error TEXT,
  sort_date INTEGER NOT NULL,
  added_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX files_gallery ON files(status, sort_date DESC, id DESC);
CREATE INDEX files_folder_gallery ON files(folder_id, status, sort_date DESC, id DESC);
CREATE INDEX files_hash ON files(hash);

CREATE TABLE jobs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  key TEXT NOT NULL,                         -- what the job is about (a path, a hash): one live job per kind+key
  payload TEXT NOT NULL DEFAULT '{}',
  priority INTEGER NOT NULL DEFAULT 0,       -- higher runs first
  state TEXT NOT NULL DEFAULT 'pending',     -- pending | running | failed
  attempts INTEGER NOT NULL DEFAULT 0,
  again INTEGER NOT NULL DEFAULT 0,          -- re-enqueued while running: run once more after it ends
  error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE(kind, key)
);
CREATE INDEX jobs_next ON jobs(state, priority DESC, id);

CREATE TABLE problems (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL,
  kind TEXT NOT NULL,                        -- file | folder | thumbnail | embedding | ...
  reason TEXT NOT NULL,
  at INTEGER NOT NULL,
  UNIQUE(path, kind)
);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`,
};
