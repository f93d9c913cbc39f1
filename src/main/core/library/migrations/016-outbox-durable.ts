import type { Migration } from './index';

/**
 * A vector write leaves the outbox only once the store made it durable. `sent_seq`: the
 * store's number for the write once it acknowledged it (the embedded store saves later, on
 * a timer); the row goes when the store says that write is on disk. `version` counts how
 * often the row was queued, so a write queued again while the previous one was in flight
 * (a removal after an upsert) is never taken for the one that was sent.
 */
export const outboxDurableMigration: Migration = {
  version: 16,
  name: 'outbox durable',
  sql: `
ALTER TABLE vector_outbox ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE vector_outbox ADD COLUMN sent_seq INTEGER;
DROP INDEX vector_outbox_order;
CREATE INDEX vector_outbox_unsent ON vector_outbox(store, model_id, queued_at, hash) WHERE sent_seq IS NULL;
`,
};
