import type { Migration } from './index';

/**
 * Jobs that heal and jobs that are set aside. `run_after`: a job that failed for a reason
 * outside its input (a full disk, a worker that exited, an I/O error) waits until then and
 * runs again, with a growing delay. `crashes`: how many starts found the job running, i.e.
 * the process died under it; after three, a job that may be crashing the app is set aside as
 * a problem the user can try again, instead of crashing it at every start.
 */
export const jobRetriesMigration: Migration = {
  version: 13,
  name: 'job retries',
  sql: `
ALTER TABLE jobs ADD COLUMN crashes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN run_after INTEGER;
`,
};
