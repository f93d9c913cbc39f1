import type { Job } from './kinds';
import type { JobOutcome } from './queue';
import type { RateMeter } from './rate';

export type Handler = (jobs: Job[]) => Promise<JobOutcome[]>;

/** What the queue knows of one kind of job while the app runs: its settings, handler and counters. */
export interface Kind {
  label: string;
  concurrency: number;
  batchSize: number;
  running: number;
  /** Set aside after MAX_CRASHES starts found it running (off for folder scans: they never decode). */
  crashGuard: boolean;
  /** Waits while any other kind has work (look-alikes come after the library is searchable). */
  afterOthers: boolean;
  handler: Handler;
  /** Finished since this kind last had nothing to do: the "done" of its progress bar. */
  done: number;
  failed: number;
  rate: RateMeter;
}
