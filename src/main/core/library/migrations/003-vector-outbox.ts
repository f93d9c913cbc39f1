import type { Migration } from './index';

/**
 * Writes to a vector store go through this outbox: a row leaves it only when the store
 * acknowledged the write. A store that is down means a growing outbox, never a lost vector.
 */
export const vectorOutboxMigration: Migration = {
  version: 3,
  name: 'vector outbox',
  sql: `
CREATE TABLE vector_outbox (
  store TEXT NOT NULL,                       -- 'embedded' | 'milvus:<uri>'
  model_id TEXT NOT NULL,
  hash TEXT NOT NULL,
  op TEXT NOT NULL,                          -- upsert | remove
  queued_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  PRIMARY KEY (store, model_id, hash)
);
CREATE INDEX vector_outbox_order ON vector_outbox(store, model_id, queued_at);
`,
};
