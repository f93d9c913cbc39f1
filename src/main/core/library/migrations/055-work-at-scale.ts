import type { Migration } from './index';

/**
 * What the queue and the embedding sweep ask many times a second, made cheap at 100,000
 * files and jobs (decision 0055).
 * - "The next pending jobs of this kind", for each kind, every time a job ends: on `jobs_next`
 *   (state, priority, id) that walked every pending row of every other kind first (about 25 ms
 *   per claim with 100,000 file jobs waiting, several claims per file). Now a seek by kind,
 *   with the crash count in the key so the crash guard's claims are seeks too.
 * - "When is the next retry due", after every claim: a full scan; now a small partial index.
 * - "How many jobs of each kind are waiting, running, failed", a few times a second for the
 *   progress bars: a count over every row; now kept up to date by triggers in `job_counts`.
 * - "Which photos lack a vector", after every library change: every file of the library was
 *   looked at each time; now only the files changed since the last sweep (`files_changed`).
 * - "How many photos", for the status the window asks after library changes: a count of
 *   distinct hashes that read every file row (660 ms at 100,000 photos); now a covering scan
 *   of `files_photos` in hash order (30 ms).
 */
export const workAtScaleMigration: Migration = {
  version: 55,
  name: 'work at scale',
  sql: `
DROP INDEX jobs_next;
CREATE INDEX jobs_claim ON jobs(kind, state, crashes, priority DESC, id);
CREATE INDEX jobs_retry ON jobs(run_after) WHERE run_after IS NOT NULL;
CREATE INDEX files_changed ON files(updated_at);
CREATE INDEX files_photos ON files(status, hash);

CREATE TABLE job_counts (
  kind TEXT NOT NULL,
  state TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (kind, state)
) WITHOUT ROWID;
INSERT INTO job_counts (kind, state, n) SELECT kind, state, count(*) FROM jobs GROUP BY kind, state;
CREATE TRIGGER jobs_counted_in AFTER INSERT ON jobs BEGIN
  INSERT INTO job_counts (kind, state, n) VALUES (new.kind, new.state, 1)
    ON CONFLICT (kind, state) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER jobs_counted_out AFTER DELETE ON jobs BEGIN
  UPDATE job_counts SET n = n - 1 WHERE kind = old.kind AND state = old.state;
END;
CREATE TRIGGER jobs_counted_moved AFTER UPDATE OF kind, state ON jobs
  WHEN old.kind IS NOT new.kind OR old.state IS NOT new.state BEGIN
  UPDATE job_counts SET n = n - 1 WHERE kind = old.kind AND state = old.state;
  INSERT INTO job_counts (kind, state, n) VALUES (new.kind, new.state, 1)
    ON CONFLICT (kind, state) DO UPDATE SET n = n + 1;
END;
`,
};
