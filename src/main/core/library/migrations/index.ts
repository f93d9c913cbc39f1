import { libraryMigration } from './001-library';
import { embeddingsMigration } from './002-embeddings';
import { vectorOutboxMigration } from './003-vector-outbox';
import { studioMigration } from './004-studio';
import { ingestMigration } from './005-ingest';
import { studioMoreMigration } from './006-studio-more';
import { nearPairsMigration } from './007-near-pairs';
import { fileDevicesMigration } from './012-file-devices';
import { jobRetriesMigration } from './013-job-retries';
import { previewFormatMigration } from './014-preview-format';
import { outboxDurableMigration } from './016-outbox-durable';
import { workAtScaleMigration } from './055-work-at-scale';

/**
 * Numbered schema migrations, applied in order at start inside one transaction each.
 * A migration is never edited once released: add a new one instead. Each database records
 * the hash of every migration it applied, and refuses to open under a build whose text differs.
 * Reserved numbers: 001 library, 002 embeddings, 003 vector outbox, 004 studio, 005 ingest, 006 studio-more,
 * 007 near pairs, 012 file devices, 013 job retries, 014 preview format, 016 outbox durable,
 * 055 work at scale
 * (008-011 and 015 were never used).
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: Migration[] = [
  libraryMigration,
  embeddingsMigration,
  vectorOutboxMigration,
  studioMigration,
  ingestMigration,
  studioMoreMigration,
  nearPairsMigration,
  fileDevicesMigration,
  jobRetriesMigration,
  previewFormatMigration,
  outboxDurableMigration,
  workAtScaleMigration,
];
