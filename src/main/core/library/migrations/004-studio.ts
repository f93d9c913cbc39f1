import type { Migration } from './index';

/**
 * Comic Studio sessions: the photos picked as references, every generated version (a
 * tree: a refinement or a branch points at its parent), usage and cost. Images live on
 * disk under the studio folder; rows say where.
 */
export const studioMigration: Migration = {
  version: 4,
  name: 'studio',
  sql: `
CREATE TABLE comic_sessions (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  options TEXT NOT NULL DEFAULT '{}',        -- style, layout, size, quality, variations, engine
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE comic_references (
  session_id INTEGER NOT NULL REFERENCES comic_sessions(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  hash TEXT NOT NULL,
  included INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (session_id, hash)
);

CREATE TABLE comic_versions (
  id INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES comic_sessions(id) ON DELETE CASCADE,
  parent_id INTEGER REFERENCES comic_versions(id) ON DELETE SET NULL,
  prompt TEXT NOT NULL,
  full_prompt TEXT NOT NULL,
  state TEXT NOT NULL,                       -- generating | done | failed | cancelled
  error TEXT,
  image TEXT,                                -- path inside the studio folder
  response_id TEXT,
  engine TEXT NOT NULL,
  model TEXT NOT NULL,
  usage TEXT,                                -- JSON token counts
  cost_usd REAL,
  created_at INTEGER NOT NULL
);
CREATE INDEX comic_versions_session ON comic_versions(session_id, id);

CREATE TABLE studio_presets (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  text TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
`,
};
