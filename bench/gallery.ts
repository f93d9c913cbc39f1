/**
 * `npm run bench -- gallery [--rows 100000] [--pace 400] [--segment 90] [--jumps 10]`
 * What the user sees of a 100,000-photo library: browser mode (the real server and the built
 * window, `npm run build` first) opened in Debian's Chromium (headless, no GPU: every frame is
 * rasterised in software on the machine's cores). Rows as ingest writes them, each with a real
 * JPEG thumbnail (64 distinct files, hard-linked under every photo's name, so the browser
 * fetches and decodes one file per tile as it would).
 *  - Scroll from top to bottom at a steady `--pace` px per frame, stopping every `--segment`
 *    frames: frame_p95/p99_ms are requestAnimationFrame deltas while scrolling;
 *    tiles_filled_p95_ms is the time after each stop until every tile in view shows its image
 *    (its canvas holds the decoded thumbnail, decision 0060; an `<img>`: loaded).
 *  - Then `--jumps` jumps to random positions (a scrollbar drag released there): jump_filled_p95_ms.
 *  - renderer_mb: the renderer process's RSS after the whole scroll, with its value at the
 *    start and at each quarter, so growth with distance shows (renderer_growth_mb), and again
 *    after a full garbage collection at each quarter (renderer_after_gc_by_distance).
 *  - BENCH_TRACE=1: per stop and jump, where the fill time went (see _gallery-page.ts anatomy).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore, dataPaths } from '../src/main/core/app';
import { thumbFiles } from '../src/main/core/ingest/thumbnails';
import { openDatabase } from '../src/main/core/library/db';
import { EventStream } from '../src/main/server/event-stream';
import { startServer } from '../src/main/server/server';
import { CdpBrowser, type CdpPage } from './_cdp';
import { PAGE_SCRIPT } from './_gallery-page';
import { memoryDump } from './_memory-dump';
import { makePhoto } from './_photos';
import { endTrace, startTrace } from './_trace-profile';
import { argValue, linkOrCopy, percentile, printResult, seededRandom } from './_util';
import { seedLibrary } from './library';

/** Calls a function of the page script (bench/_gallery-page.ts) and waits for its answer. */
function call<T>(page: CdpPage, method: string, ...args: unknown[]): Promise<T> {
  return page.evaluate<T>(`window.__bench.${method}(${args.map((a) => JSON.stringify(a)).join(', ')})`);
}

interface Step {
  deltas: number[];
  top: number;
  atEnd: boolean;
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Gives every row a JPEG thumbnail: `distinct` real files linked under each photo's name. */
async function seedThumbnails(dataDir: string, distinct: number): Promise<void> {
  const sources = mkdtempSync(join(tmpdir(), 'komorebi-bench-thumbs-'));
  const files: string[] = [];
  for (let i = 0; i < distinct; i++) {
    const f = join(sources, `t${i}.jpg`);
    await makePhoto(9000 + i, f, 320, 240);
    files.push(f);
  }
  const db = openDatabase(dataPaths(dataDir).database);
  const hashes = db.prepare('SELECT hash FROM photos').pluck().all() as string[];
  const thumbs = dataPaths(dataDir).thumbs;
  for (const dir of new Set(hashes.map((h) => h.slice(0, 2))))
    mkdirSync(join(thumbs, dir), { recursive: true });
  for (const [i, hash] of hashes.entries())
    linkOrCopy(files[i % distinct]!, thumbFiles(thumbs, hash, 'jpeg').small);
  db.prepare("UPDATE photos SET thumb_state = 'done', thumb_format = 'jpeg'").run();
  db.close();
  rmSync(sources, { recursive: true, force: true });
}

async function afterPressureMb(page: CdpPage, pid: number): Promise<number> {
  await page.send('Memory.simulatePressureNotification', { level: 'critical' });
  await page.send('HeapProfiler.collectGarbage');
  await new Promise((r) => setTimeout(r, 2000));
  return rendererMb(pid);
}

/** RSS (MB) of the browser's renderer processes (the largest: the page's). */
function rendererMb(browserPid: number): number {
  return renderer(browserPid).mb;
}

/** The page's renderer process (the browser's largest renderer) and its RSS in MB. */
function renderer(browserPid: number): { pid: number; mb: number } {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    } catch {}
  }
  const all: number[] = [];
  const walk = (pid: number) => {
    for (const c of children.get(pid) ?? []) {
      all.push(c);
      walk(c);
    }
  };
  walk(browserPid);
  let max = { pid: 0, mb: 0 };
  for (const pid of all) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (rss && Number(rss[1]) / 1024 > max.mb) max = { pid, mb: Number(rss[1]) / 1024 };
    } catch {}
  }
  return { pid: max.pid, mb: Math.round(max.mb) };
}

interface Pass {
  frames: number[];
  filled: number[];
  missed: number;
  /** Renderer RSS at each quarter of the scroll, and again after a full garbage collection. */
  memory: { at: number; mb: number }[];
  collected: { at: number; mb: number }[];
}

/** One scroll from where the view is to the bottom, stopping every `segment` frames. */
async function scrollPass(
  browser: CdpBrowser,
  page: CdpPage,
  size: { height: number; view: number },
  pace: number,
  segment: number,
): Promise<Pass> {
  const pass: Pass = { frames: [], filled: [], missed: 0, memory: [], collected: [] };
  await page.send('HeapProfiler.collectGarbage');
  pass.memory.push({ at: 0, mb: rendererMb(browser.pid) });
  pass.collected.push({ at: 0, mb: rendererMb(browser.pid) });
  let nextSample = 0.25;
  const profiled = new Set((process.env.BENCH_PROFILE ?? '').split(',').filter(Boolean).map(Number));
  for (let stop = 1; ; stop++) {
    if (profiled.has(stop)) {
      await page.send('Profiler.enable');
      await page.send('Profiler.setSamplingInterval', { interval: 200 });
      await page.send('Profiler.start');
      await startTrace(browser);
    }
    const step = await call<Step>(page, 'scrollSteady', pace, segment);
    pass.frames.push(...step.deltas.slice(1));
    const ms = await call<number | null>(page, 'untilFilled', 10_000);
    if (ms === null) {
      pass.missed++;
      console.log(`  stop at ${step.top} never filled: ${JSON.stringify(await call(page, 'unfilled'))}`);
    } else pass.filled.push(ms);
    if (profiled.has(stop)) {
      const { profile } = await page.send<{ profile: Parameters<typeof endTrace>[1] }>('Profiler.stop');
      console.log(`  stop ${stop} profile:\n${(await endTrace(browser, profile)).join('\n')}`);
    }
    if (process.env.BENCH_TRACE)
      console.log(`  stop at ${step.top}: ${JSON.stringify(await call(page, 'anatomy', ms))}`);
    const progress = step.top / Math.max(1, size.height - size.view);
    if (progress >= nextSample || step.atEnd) {
      const at = Math.round(progress * 100);
      pass.memory.push({ at, mb: rendererMb(browser.pid) });
      // And after a full collection: what is held at this distance, not garbage not yet swept.
      await page.send('HeapProfiler.collectGarbage');
      pass.collected.push({ at, mb: rendererMb(browser.pid) });
      console.log(
        `  ${at}%: frame p95 so far ${percentile(pass.frames, 95).toFixed(1)} ms, renderer ${pass.memory.at(-1)!.mb} MB (${pass.collected.at(-1)!.mb} MB after a GC)`,
      );
      if (process.env.BENCH_MEMORY)
        console.log(
          `  memory-infra: ${JSON.stringify(await memoryDump(browser, renderer(browser.pid).pid))}`,
        );
      nextSample += 0.25;
    }
    if (step.atEnd) return pass;
  }
}

export async function run(args: string[]): Promise<void> {
  const rows = Number(argValue(args, '--rows') ?? 100_000);
  const pace = Number(argValue(args, '--pace') ?? 400);
  const segment = Number(argValue(args, '--segment') ?? 90);
  const jumps = Number(argValue(args, '--jumps') ?? 10);
  const secondPass = argValue(args, '--second-pass') !== '0';
  // BENCH_RENDERER_DIR: another build of the window, to compare two versions back to back.
  const rendererDir = process.env.BENCH_RENDERER_DIR ?? join(repoRoot, 'out', 'renderer');
  const dataDir = mkdtempSync(join(tmpdir(), 'komorebi-bench-gallery-'));
  const photosRoot = mkdtempSync(join(tmpdir(), 'komorebi-bench-gallery-photos-'));
  const noModels = mkdtempSync(join(tmpdir(), 'komorebi-bench-nomodels-'));
  const events = new EventStream();
  try {
    seedLibrary(dataDir, photosRoot, rows);
    await seedThumbnails(dataDir, 64);
    console.log(`seeded ${rows} photos with thumbnails`);
    // The rows point at originals that do not exist: no scan (it would rightly remove them).
    const core = await createCore({
      dataDir,
      shell: 'browser',
      notifier: events,
      autoStart: false,
      manifestDir: noModels,
    });
    const token = 'bench-gallery-token-0123456789';
    const server = await startServer({ core, events, port: 0, token, rendererDir });
    // Over the DevTools protocol itself, not Playwright: see bench/_cdp.ts (response bodies).
    const browser = CdpBrowser.launch();
    try {
      const page = await browser.newPage(server.url, 1280, 800);
      await page.waitFor(`document.querySelector('[data-testid=photo-tile] .tile-image')`);
      await page.evaluate(PAGE_SCRIPT);
      if (process.env.BENCH_TRACE) await call(page, 'traceShown');
      const pid = browser.pid;
      await page.send('Performance.enable');
      const heapMb = async () => {
        await page.send('HeapProfiler.collectGarbage');
        const { metrics } = await page.send<{ metrics: { name: string; value: number }[] }>(
          'Performance.getMetrics',
        );
        return Math.round((metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 1024 / 1024);
      };
      const heapStart = await heapMb();
      const domNodes = async () => (await page.send<{ nodes: number }>('Memory.getDOMCounters')).nodes;
      const nodesStart = await domNodes();
      const firstScreenMs = await call<number | null>(page, 'untilFilled', 30_000);
      const size = await call<{ height: number; view: number }>(page, 'size');
      console.log(
        `scroll height ${size.height} px, viewport ${size.view} px; first screen filled after ${firstScreenMs?.toFixed(0)} ms more`,
      );
      if (process.env.BENCH_MEMORY)
        console.log(
          `  memory-infra at the top: ${JSON.stringify(await memoryDump(browser, renderer(pid).pid))}`,
        );

      const first = await scrollPass(browser, page, size, pace, segment);
      const { frames, filled, memory, collected } = first;
      let missed = first.missed;
      const rand = seededRandom(5);
      const jumpFilled: number[] = [];
      for (let i = 0; i < jumps; i++) {
        const top = Math.floor(rand() * (size.height - size.view));
        const ms = await call<number | null>(page, 'jump', top, 10_000);
        if (ms === null) {
          missed++;
          console.log(`  jump to ${top} never filled: ${JSON.stringify(await call(page, 'unfilled'))}`);
        } else jumpFilled.push(ms);
        if (process.env.BENCH_TRACE)
          console.log(`  jump to ${top}: ${JSON.stringify(await call(page, 'anatomy', ms))}`);
      }
      const end = memory.at(-1)!.mb;
      const afterJumps = rendererMb(pid);
      const heapEnd = await heapMb();
      const afterGc = rendererMb(pid);
      const nodesEnd = await domNodes();
      // The same scroll again from the top: whatever the first pass left in the renderer's
      // pools (allocator, raster) is reused, so a second pass that adds memory is a leak.
      let second: Pass | null = null;
      if (secondPass) {
        console.log('second pass, from the top');
        await call(page, 'jump', 0, 10_000);
        second = await scrollPass(browser, page, size, pace, segment);
      }
      const round = (x: number) => Math.round(x * 10) / 10;
      printResult({
        rows,
        pace_px_per_frame: pace,
        frames: frames.length,
        frame_p50_ms: round(percentile(frames, 50)),
        frame_p95_ms: round(percentile(frames, 95)),
        frame_p99_ms: round(percentile(frames, 99)),
        stops: filled.length,
        tiles_filled_p50_ms: round(percentile(filled, 50)),
        tiles_filled_p95_ms: round(percentile(filled, 95)),
        jump_filled_p95_ms: round(percentile(jumpFilled, 95)),
        never_filled: missed + (second?.missed ?? 0),
        renderer_mb: end,
        renderer_start_mb: memory[0]!.mb,
        renderer_growth_mb: end - memory[1]!.mb,
        renderer_mb_by_distance: memory.map((m) => `${m.at}%:${m.mb}`).join(' '),
        renderer_after_gc_by_distance: collected.map((m) => `${m.at}%:${m.mb}`).join(' '),
        renderer_after_jumps_mb: afterJumps,
        js_heap_start_mb: heapStart,
        js_heap_end_mb: heapEnd,
        // After a full garbage collection: what is still held, not what waits to be collected.
        renderer_after_gc_mb: afterGc,
        dom_nodes_start: nodesStart,
        dom_nodes_end: nodesEnd,
        ...(second
          ? {
              renderer_second_pass_after_gc_by_distance: second.collected
                .map((m) => `${m.at}%:${m.mb}`)
                .join(' '),
              // What scrolling the same library again added, after a collection at each end.
              renderer_growth_second_pass_mb: second.collected.at(-1)!.mb - collected.at(-1)!.mb,
              second_pass_tiles_filled_p95_ms: round(percentile(second.filled, 95)),
            }
          : {}),
        // After Chromium is told memory is short: what its caches give back (decoded and encoded
        // images of tiles long gone) versus what the page really holds.
        renderer_after_pressure_mb: await afterPressureMb(page, pid),
      });
    } finally {
      await browser.close();
      await server.close();
      await core.close();
    }
  } finally {
    for (const d of [dataDir, photosRoot, noModels]) rmSync(d, { recursive: true, force: true });
  }
}
