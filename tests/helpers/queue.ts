import type { JobCounts } from '../../src/shared/model';

/**
 * Resolves once the queue has no job pending or running, polling what it reports (a
 * failed job counts as finished). Throws after `timeoutMs`, with the counts it saw last.
 */
export async function queueIdle(
  queue: { counts(): Record<string, JobCounts> },
  timeoutMs = 120_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const counts = queue.counts();
    if (Object.values(counts).every((c) => c.pending + c.running === 0)) return;
    if (Date.now() > until) throw new Error(`The queue is still busy: ${JSON.stringify(counts)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
