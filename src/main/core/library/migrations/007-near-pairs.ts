import type { Migration } from './index';

/**
 * Look-alike pairs found once per photo and model (its nearest neighbours when it was
 * indexed), so the Duplicates view groups a large library from a table instead of
 * searching the index once per photo each time it opens.
 */
export const nearPairsMigration: Migration = {
  version: 7,
  name: 'near pairs',
  sql: `
CREATE TABLE near_pairs (
  model_id TEXT NOT NULL,
  a TEXT NOT NULL,                           -- content hashes, a < b
  b TEXT NOT NULL,
  score REAL NOT NULL,
  PRIMARY KEY (model_id, a, b)
);
CREATE INDEX near_pairs_score ON near_pairs(model_id, score);

CREATE TABLE near_scanned (
  model_id TEXT NOT NULL,
  hash TEXT NOT NULL,
  PRIMARY KEY (model_id, hash)
);
`,
};
