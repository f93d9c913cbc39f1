import type { Migration } from './index';

/**
 * Ingest: a folder remembers the device its root was on (`root_dev`), so an unplugged
 * drive whose mount point stays behind as an empty directory reads as offline, not as
 * "every photo deleted". A photo whose last file left the library is not deleted at once (a move is a
 * removal followed by an addition, possibly minutes apart); it is stamped `orphaned_at`
 * and garbage-collected after a grace period if no file points at it again.
 */
export const ingestMigration: Migration = {
  version: 5,
  name: 'ingest',
  sql: `
ALTER TABLE folders ADD COLUMN root_dev TEXT;
ALTER TABLE photos ADD COLUMN orphaned_at INTEGER;
CREATE INDEX photos_orphaned ON photos(orphaned_at) WHERE orphaned_at IS NOT NULL;
`,
};
