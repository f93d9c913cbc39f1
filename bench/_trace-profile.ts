/**
 * BENCH_PROFILE: a Chromium trace around one stop of the gallery benchmark, summed per thread and
 * per event name between the page's `bench-stop` and `bench-filled` marks (console.timeStamp), so
 * a slow fill says which thread was busy with what (decode, raster, script, layout, IPC).
 */
import type { CdpBrowser } from './_cdp';

interface TraceEvent {
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  name: string;
  args?: { name?: string; data?: { message?: string } };
}

const CATEGORIES = [
  'toplevel',
  'blink',
  'cc',
  'v8',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'loading',
  'netlog',
];

export async function startTrace(browser: CdpBrowser): Promise<void> {
  await browser.send('Tracing.start', {
    transferMode: 'ReturnAsStream',
    traceConfig: { includedCategories: CATEGORIES, excludedCategories: ['*'] },
  });
}

interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    parent?: number;
    children?: number[];
  }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Self time (ms) per JavaScript function of the page within [from, to] (trace clock, µs). */
export function profileWindow(profile: CpuProfile, from: number, to: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    const next = t + (profile.timeDeltas[i + 1] ?? 0);
    if (t < from || t > to) continue;
    const frame = byId.get(profile.samples[i]!)?.callFrame;
    if (!frame) continue;
    const file = frame.url.split('/').pop() ?? '';
    const key = `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + (next - t) / 1000);
  }
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 14)
    .map(([k, ms]) => `${k} ${ms.toFixed(1)}`)
    .join(', ');
}

/** Ends the trace; per process:thread, the busiest event names (ms) in each marked window. */
export async function endTrace(browser: CdpBrowser, profile?: CpuProfile): Promise<string[]> {
  const events = await browser.endTracing<TraceEvent>();
  const threads = new Map<string, string>();
  for (const e of events)
    if (e.ph === 'M' && e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, e.args?.name ?? '?');
  const marks = events
    .filter((e) => e.name === 'TimeStamp' && e.args?.data?.message?.startsWith('bench-'))
    .sort((a, b) => a.ts - b.ts);
  const lines: string[] = [];
  for (let i = 0; i < marks.length; i++) {
    if (marks[i]!.args?.data?.message !== 'bench-stop') continue;
    const end = marks.slice(i + 1).find((m) => m.args?.data?.message === 'bench-filled');
    if (!end) continue;
    const from = marks[i]!.ts;
    const to = end.ts;
    lines.push(`window ${((to - from) / 1000).toFixed(0)} ms`);
    if (profile) lines.push(`  page JS self time: ${profileWindow(profile, from, to)}`);
    const byThread = new Map<string, Map<string, number>>();
    for (const e of events) {
      if (e.ph !== 'X' || !e.dur || e.ts + e.dur < from || e.ts > to) continue;
      const ms = (Math.min(to, e.ts + e.dur) - Math.max(from, e.ts)) / 1000;
      const key = `${e.pid}:${threads.get(`${e.pid}:${e.tid}`) ?? e.tid}`;
      const names = byThread.get(key) ?? new Map<string, number>();
      names.set(e.name, (names.get(e.name) ?? 0) + ms);
      byThread.set(key, names);
    }
    for (const [thread, names] of byThread) {
      const top = [...names].sort((a, b) => b[1] - a[1]).slice(0, 8);
      if (top[0]![1] < 3) continue;
      lines.push(`  ${thread}: ${top.map(([n, ms]) => `${n} ${ms.toFixed(1)}`).join(', ')}`);
    }
  }
  return lines;
}
