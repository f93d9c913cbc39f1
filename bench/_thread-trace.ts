/**
 * BENCH_TRACE=1: where the CPU goes during a benchmark, second by second. Samples every thread
 * of this process from /proc (Linux), grouped by thread name (libuv's pool runs sharp, the
 * embedding workers run onnxruntime), and prints how many cores each group kept busy, next to
 * what the caller says is queued. Busy cores below the machine's count, with work queued,
 * is time a stage waited when it could have worked.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_S = 100; // USER_HZ on Linux

function threadTicks(): Map<string, number> {
  const byGroup = new Map<string, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
      const group = tid === String(process.pid) ? 'main' : name.replace(/[-_ ]?\d+$/, '');
      byGroup.set(group, (byGroup.get(group) ?? 0) + ticks);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return byGroup;
}

/** Starts sampling; the returned function stops it. `queued()` describes the work waiting. */
export function traceThreads(queued: () => string, everyMs = 1000): () => void {
  if (!process.env.BENCH_TRACE || process.platform !== 'linux') return () => {};
  let last = threadTicks();
  let lastAt = performance.now();
  const start = lastAt;
  const timer = setInterval(() => {
    const now = threadTicks();
    const at = performance.now();
    const seconds = (at - lastAt) / 1000;
    const parts: string[] = [];
    let total = 0;
    for (const [group, ticks] of now) {
      const cores = (ticks - (last.get(group) ?? 0)) / TICKS_PER_S / seconds;
      total += cores;
      if (cores >= 0.05) parts.push(`${group} ${cores.toFixed(2)}`);
    }
    console.log(
      `  ${((at - start) / 1000).toFixed(0).padStart(4)} s  busy ${total.toFixed(2)}  [${parts.join(', ')}]  ${queued()}`,
    );
    last = now;
    lastAt = at;
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
