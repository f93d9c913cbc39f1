import type { Migration } from './index';

/**
 * Each photo remembers the format its previews were written in (decision 0026): previews
 * made before are WebP; new ones are JPEG, which costs a fifth of the CPU at equal quality.
 * The gallery names the files from this column, so an old library keeps its previews.
 */
export const previewFormatMigration: Migration = {
  version: 14,
  name: 'preview format',
  sql: `ALTER TABLE photos ADD COLUMN thumb_format TEXT NOT NULL DEFAULT 'webp'; -- webp | jpeg`,
};
