import type { Migration } from './index';

/**
 * Comic versions remember how they were asked for: the generation options (style, layout,
 * size, quality) so panels can be cut with the layout that was requested, and which
 * variation of one Generate press they are.
 */
export const studioMoreMigration: Migration = {
  version: 6,
  name: 'studio-more',
  sql: `
ALTER TABLE comic_versions ADD COLUMN options TEXT NOT NULL DEFAULT '{}';
ALTER TABLE comic_versions ADD COLUMN variation INTEGER NOT NULL DEFAULT 0;
ALTER TABLE comic_versions ADD COLUMN finished_at INTEGER;
CREATE INDEX comic_versions_state ON comic_versions(state) WHERE state = 'generating';
`,
};
