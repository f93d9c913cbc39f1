/**
 * Chromium's own account of a renderer's memory (memory-infra, as chrome://tracing shows it): a
 * detailed memory dump read back from a trace, reduced to the allocators of one process
 * (partition_alloc and its partitions, v8, blink_gc, cc tile memory, skia, malloc, ...).
 */
import type { CdpBrowser } from './_cdp';

type Attrs = Record<string, { value: string; units: string }>;
interface DumpEvent {
  ph: string;
  pid: number;
  args?: { dumps?: { allocators?: Record<string, { attrs?: Attrs }> } };
}

/** MB per allocator of process `pid`, down to `depth` levels (`partition_alloc/partitions/buffer`: 3). */
export async function memoryDump(
  browser: CdpBrowser,
  pid: number,
  depth = 3,
): Promise<Record<string, number>> {
  await browser.send('Tracing.start', {
    transferMode: 'ReturnAsStream',
    traceConfig: {
      includedCategories: ['disabled-by-default-memory-infra'],
      excludedCategories: ['*'],
      memoryDumpConfig: { triggers: [] },
    },
  });
  await browser.send('Tracing.requestMemoryDump', { deterministic: true, levelOfDetail: 'detailed' });
  const events = await browser.endTracing<DumpEvent>();
  const out: Record<string, number> = {};
  for (const event of events) {
    const allocators = event.ph === 'v' && event.pid === pid ? event.args?.dumps?.allocators : undefined;
    for (const [name, dump] of Object.entries(allocators ?? {})) {
      const size = dump.attrs?.size;
      if (!size || name.split('/').length > depth) continue;
      const mb = Number.parseInt(size.value, 16) / 1024 / 1024;
      if (mb >= 0.5) out[name] = Math.round(mb * 10) / 10;
    }
  }
  return out;
}
