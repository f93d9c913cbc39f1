import type { Migration } from './index';

/**
 * Each file remembers the device (st_dev) it was on, so a file missing from a folder can be
 * told apart: deleted (its directory is still on that device) or on a drive or share that is
 * not mounted now (what is there is another device: the mount point left behind).
 */
export const fileDevicesMigration: Migration = {
  version: 12,
  name: 'file devices',
  sql: `
ALTER TABLE files ADD COLUMN dev TEXT;
`,
};
