/**
 * Failures that say nothing about the job's input: the disk was full, a worker thread exited,
 * the embedding pool was restarted with another thread count, the file system returned an
 * I/O error, a folder was not writable. Such a job is tried again later, with a growing
 * delay, instead of failing for good. A decode error, a corrupt file or a missing model is
 * about the input and fails at once, with its reason.
 */
const TRANSIENT = [
  /\bENOSPC\b|disk is full|no space left/i,
  /\bSQLITE_(FULL|BUSY|LOCKED|IOERR)\b|database is locked/i,
  /\bE(IO|AGAIN|BUSY|MFILE|NFILE|TIMEDOUT|CONNRESET|ROFS|ACCES|PERM)\b/,
  /input\/output error|read-only file system|permission denied/i,
  /embedding pool is closed|embedding was stopped|worker .*(exited|stopped|terminated)|exit code -?\d+/i,
  /preview thread stopped/i,
];

export function isTransient(reason: string): boolean {
  return TRANSIENT.some((re) => re.test(reason));
}

/** Tries before a transient failure is reported as a failure (about 4 hours in all). */
export const MAX_TRIES = 10;

/** Seconds before try n + 1: 2, 4, 8 ... up to half an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30 * 60_000, 1000 * 2 ** Math.max(1, attempts));
}

/** After this many starts found a job running, it is set aside (it may be what crashes the app). */
export const MAX_CRASHES = 3;

export const SET_ASIDE_REASON =
  'Komorebi stopped 3 times while working on this (the app crashed or was closed by force). It is set aside so that it cannot stop the app again; press Retry in Activity to try it once more.';
