import type { Migration } from './index';

/**
 * Embeddings are the source of truth for every vector index: one row per photo (content
 * hash) and model, so a moved or duplicated file never costs a second inference and a
 * model switch never mixes vectors. `seq` orders rows for incremental index syncs.
 */
export const embeddingsMigration: Migration = {
  version: 2,
  name: 'embeddings',
  sql: `
CREATE TABLE embeddings (
  seq INTEGER PRIMARY KEY,
  hash TEXT NOT NULL,
  model_id TEXT NOT NULL,
  dim INTEGER NOT NULL,
  vector BLOB NOT NULL,                      -- float32 little-endian, L2-normalised
  created_at INTEGER NOT NULL,
  UNIQUE(hash, model_id)
);
CREATE INDEX embeddings_model ON embeddings(model_id, seq);
`,
};
