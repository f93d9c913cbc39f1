/**
 * `npm run bench -- first-index [--photos 300] [--png 20] [--large 20] [--sample 12]`
 * What a new user waits for: from "Add folder" until every photo has its previews and its
 * vector, with the ResNet-50-cost model (the seeded graph) through the real core (durable
 * queue, ingest, worker pool, SQLite, vector store). Distinct 12 MP JPEGs plus PNGs and 24 MP
 * JPEGs. In the same run:
 *  - baseline_per_s: the same library through the path before decision 0027 (previews decoded
 *    once and written as WebP, the model's input decoded again from the file by the worker),
 *    kept selectable with `decodeOnce: false`;
 *  - stage_ms: CPU ms per photo of each stage on its own (bench/_stages.ts);
 *  - bound_per_s: what the cores allow for one decode + previews + model input + model, from
 *    those stage costs (cores x 1000 / their sum); ratio_to_bound = first_index / bound.
 *  - first_visible_ms: from "Add folder" to the first photo in the gallery with its thumbnail.
 * `--previews-on-main` decodes new photos on the main thread instead of the preview thread
 * (decision 0065), to compare the two; the baseline always does, as it did before.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import { makeSeededResnet50, seededResnet50Path } from '../scripts/models/make-seeded-resnet50';
import { createCore, dataPaths } from '../src/main/core/app';
import { defaultManifestDir, findManifest } from '../src/main/core/embed/manifest';
import { photoSet } from './_photos';
import { measureStages, oneDecodeMs, twoDecodeMs } from './_stages';
import { traceThreads } from './_thread-trace';
import { argValue, linkOrCopy, printResult } from './_util';

const MODEL = 'resnet50-seeded';

interface IndexRun {
  perSecond: number;
  seconds: number;
  firstVisibleMs: number;
  decodes: { shared: number; again: number };
  /** CPU ms of the whole process (every thread) per photo, and the cores it kept busy on average. */
  cpuMsPerPhoto: number;
  coresBusy: number;
}

async function firstIndex(
  photos: string,
  count: number,
  manifestDir: string,
  modelDir: string,
  decodeOnce: boolean,
  previewThread: boolean,
): Promise<IndexRun> {
  const dataDir = mkdtempSync(join(os.tmpdir(), 'komorebi-bench-first-index-'));
  const core = await createCore({
    dataDir,
    shell: 'test',
    notifier: { emit: () => {} },
    manifestDir,
    modelDirs: [modelDir],
    decodeOnce,
    // The path before decision 0065 decoded new photos on the main thread.
    previewWorkerUrl: previewThread ? undefined : null,
  });
  try {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    let queued = '';
    const stopTrace = traceThreads(() => queued);
    await core.handlers['folders:add']({ path: photos });
    // The first thumbnail as the gallery sees it (its first page), then the counts read
    // straight from SQLite: asking the Api ten times a second for every photo and the models'
    // list (which reads the manifests again) cost the pipeline a few percent of a core.
    let firstVisibleMs = Number.NaN;
    while (Number.isNaN(firstVisibleMs)) {
      const page = await core.handlers['photos:list']({ offset: 0, limit: 50 });
      if (page.items.some((p) => p.thumb !== null)) firstVisibleMs = performance.now() - start;
      else await new Promise((r) => setTimeout(r, 5));
    }
    const db = new Database(dataPaths(dataDir).database, { readonly: true });
    const shownSql = db.prepare("SELECT count(*) FROM photos WHERE thumb_state = 'done'").pluck();
    const embeddedSql = db.prepare('SELECT count(*) FROM embeddings WHERE model_id = ?').pluck();
    try {
      let last = { shown: -1, embedded: -1 };
      for (;;) {
        const shown = shownSql.get() as number;
        const embedded = embeddedSql.get(MODEL) as number;
        if (process.env.BENCH_TRACE && (shown !== last.shown || embedded !== last.embedded)) {
          const jobs = (await core.handlers['library:status']({})).jobs;
          queued = `${shown} previews, ${embedded} vectors; ${Object.entries(jobs)
            .map(([kind, c]) => `${kind} ${c.running}+${c.pending}`)
            .join(', ')}`;
          last = { shown, embedded };
        }
        if (shown >= count && embedded >= count) break;
        if (performance.now() - start > 3_600_000)
          throw new Error(`gave up: ${shown} previews, ${embedded} vectors`);
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      db.close();
      stopTrace();
    }
    const seconds = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    return {
      perSecond: count / seconds,
      seconds,
      firstVisibleMs,
      decodes: core.decodes(),
      cpuMsPerPhoto: cpuMs / count,
      coresBusy: cpuMs / 1000 / seconds,
    };
  } finally {
    await core.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function run(args: string[]): Promise<void> {
  const jpegs = Number(argValue(args, '--photos') ?? 300);
  const pngs = Number(argValue(args, '--png') ?? 20);
  const large = Number(argValue(args, '--large') ?? 20);
  const sampleSize = Number(argValue(args, '--sample') ?? 12);
  const cores = os.availableParallelism();
  console.log(
    `preparing ${jpegs} x 12 MP JPEG, ${pngs} x PNG, ${large} x 24 MP JPEG (cached in bench/.cache)...`,
  );
  const files = [
    ...(await photoSet('ingest-12mp', jpegs)),
    ...(await photoSet('first-index-png', pngs, 50_001, { width: 3000, height: 2000, ext: 'png' })),
    ...(await photoSet('first-index-24mp', large, 60_001, { width: 6000, height: 4000, ext: 'jpg' })),
  ];
  const count = files.length;
  const modelPath = seededResnet50Path(1);
  if (!existsSync(modelPath)) makeSeededResnet50(modelPath, 1);
  const manifest = { ...findManifest(MODEL, defaultManifestDir()), benchmarkOnly: false };

  const root = mkdtempSync(join(os.tmpdir(), 'komorebi-bench-first-index-'));
  try {
    const photos = join(root, 'photos');
    const manifests = join(root, 'manifests');
    for (const d of [photos, manifests]) mkdirSync(d, { recursive: true });
    for (const f of files) linkOrCopy(f, join(photos, basename(f)));
    writeFileSync(join(manifests, `${MODEL}.json`), JSON.stringify(manifest));
    for (const f of files) readFileSync(f); // both runs read from the page cache

    const sample = [0, 1, 2].flatMap((k) =>
      files.filter((_, i) => i % 3 === k).slice(0, Math.ceil(sampleSize / 3)),
    );
    const stages = await measureStages(sample, manifest, modelPath);
    console.log('CPU ms per photo by stage (one thread):', stages);
    const bound = (cores * 1000) / oneDecodeMs(stages);
    const baselineBound = (cores * 1000) / twoDecodeMs(stages);

    // --skip-baseline: while tracing the new path only (the RESULT then has no speedup).
    const baseline = args.includes('--skip-baseline')
      ? {
          perSecond: Number.NaN,
          seconds: 0,
          firstVisibleMs: Number.NaN,
          decodes: { shared: 0, again: 0 },
          cpuMsPerPhoto: Number.NaN,
          coresBusy: Number.NaN,
        }
      : await firstIndex(photos, count, manifests, join(modelPath, '..'), false, false);
    console.log(
      `baseline (two decodes, WebP): ${baseline.perSecond.toFixed(2)} photos/s, first thumbnail ${baseline.firstVisibleMs.toFixed(0)} ms`,
    );
    const onMain = args.includes('--previews-on-main');
    const now = await firstIndex(photos, count, manifests, join(modelPath, '..'), true, !onMain);
    console.log(
      `first index (one decode, JPEG, ${onMain ? 'main thread' : 'preview thread'}): ${now.perSecond.toFixed(2)} photos/s, first thumbnail ${now.firstVisibleMs.toFixed(0)} ms`,
    );
    for (const [name, r] of [
      ['baseline', baseline],
      ['first index', now],
    ] as const)
      console.log(
        `${name}: ${r.cpuMsPerPhoto.toFixed(0)} CPU ms per photo (all threads), ${r.coresBusy.toFixed(2)} of ${cores} cores busy on average`,
      );
    console.log(`embedded from ingest's decode: ${now.decodes.shared}, decoded again: ${now.decodes.again}`);
    console.log(`bound: ${bound.toFixed(2)} photos/s (baseline's own bound ${baselineBound.toFixed(2)})`);
    console.log(
      `30,000 photos: ${(30_000 / now.perSecond / 60).toFixed(0)} min (baseline ${(30_000 / baseline.perSecond / 60).toFixed(0)} min)`,
    );

    const round = (x: number) => Math.round(x * 100) / 100;
    printResult({
      photos: count,
      cores,
      first_index_per_s: round(now.perSecond),
      baseline_per_s: round(baseline.perSecond),
      speedup_vs_baseline: round(now.perSecond / baseline.perSecond),
      bound_per_s: round(bound),
      ratio_to_bound: round(now.perSecond / bound),
      baseline_bound_per_s: round(baselineBound),
      first_visible_ms: Math.round(now.firstVisibleMs),
      baseline_first_visible_ms: Math.round(baseline.firstVisibleMs),
      cpu_ms_per_photo: Math.round(now.cpuMsPerPhoto),
      cores_busy: round(now.coresBusy),
      baseline_cpu_ms_per_photo: Math.round(baseline.cpuMsPerPhoto),
      shared_decodes: now.decodes.shared,
      decoded_again: now.decodes.again,
      stage_ms: stages,
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
