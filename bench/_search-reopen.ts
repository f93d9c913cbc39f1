/**
 * Opens a saved embedded index in a fresh process, as the app does at start, and answers
 * the search benchmark's queries: the reopen time and the memory are this index's alone
 * (the benchmark's own process holds every synthetic vector). Prints one JSON report.
 * One setting per process: usearch's memory is only returned when V8 collects the index,
 * so reopening several times in one process would stack copies (at 1M that ran out of memory).
 *
 *   node --import tsx bench/_search-reopen.ts <dir> <dim> <threads> <queries.f32> <ef> <rescore>
 * ef is the search list size, rescore the rescoring factor; 0 means the store's default.
 */
import { readFileSync } from 'node:fs';
import { GRAPH_DEFAULTS, openEmbeddedStore, searchListSize } from '../src/main/core/vectors/embedded';

export interface ReopenRun {
  ef: number;
  rescore: number;
  /** This process before opening anything. */
  baseRssMb: number;
  reopenMs: number;
  firstQueryMs: number;
  rssMb: number;
  times: number[];
  hits: { id: string; score: number }[][];
}

async function main(): Promise<void> {
  const [dir, dimArg, threadsArg, queriesFile, efArg, rescoreArg] = process.argv.slice(2);
  if (!dir || !queriesFile || efArg === undefined || rescoreArg === undefined)
    throw new Error('usage: <dir> <dim> <threads> <queries.f32> <ef> <rescore>');
  const [dim, ef, rescore] = [Number(dimArg), Number(efArg), Number(rescoreArg)];
  const bytes = readFileSync(queriesFile);
  const all = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const queries = Array.from({ length: all.length / dim }, (_, q) => all.subarray(q * dim, (q + 1) * dim));
  const baseRssMb = process.memoryUsage().rss / 2 ** 20;
  const started = performance.now();
  const store = await openEmbeddedStore({
    dir,
    model: 'bench',
    dimension: dim,
    threads: Number(threadsArg),
    // An explicit ef is measured as it is; the store's default widens with the library.
    ...(ef ? { expansionSearch: ef, searchListGrowth: false } : {}),
    ...(rescore ? { rescoreFactor: rescore } : {}),
  });
  const reopenMs = performance.now() - started;
  if (store.health.state !== 'ready') throw new Error(`the saved index did not open: ${store.health.state}`);
  const live = await store.count();
  // The first searches pay for compiling the search code and for reading the f16 copy
  // from disk; they are reported apart, and the timed run starts warm.
  const begunFirst = performance.now();
  await store.search(queries[0]!, 10);
  const firstQueryMs = performance.now() - begunFirst;
  for (const query of queries.slice(1, 20)) await store.search(query, 10);
  const times: number[] = [];
  const hits: { id: string; score: number }[][] = [];
  for (const query of queries) {
    const begun = performance.now();
    hits.push(await store.search(query, 10));
    times.push(performance.now() - begun);
  }
  const rssMb = process.memoryUsage().rss / 2 ** 20;
  await store.close();
  const run: ReopenRun = {
    ef: ef || searchListSize(GRAPH_DEFAULTS.expansionSearch, live, true),
    rescore: rescore || GRAPH_DEFAULTS.rescoreFactor,
    baseRssMb,
    reopenMs,
    firstQueryMs,
    rssMb,
    times,
    hits,
  };
  process.stdout.write(JSON.stringify(run));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
