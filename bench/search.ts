/**
 * Vector search benchmark: the embedded store (usearch HNSW, 8-bit graph, f16 rescoring)
 * against exact brute force, and Milvus Lite, on synthetic 2048-d vectors shaped like
 * ResNet-50 pooled features (bench/_vectors.ts).
 *
 *   npm run bench -- search                        sizes 10000,100000 + Milvus Lite at 10000
 *   npm run bench -- search --sizes 2000 --milvus-size 1000 --queries 50   (quick check)
 *   npm run bench -- search --full --threads 2     adds 1,000,000 (~12 GB RAM, ~30 min)
 *
 * Options: --sizes a,b  --dim 2048  --queries 200  --exact-queries 50  --ef <store default>
 *          --efs a,b (more search list sizes on the same graph)  --rescores a,b (more
 *          rescoring factors)  --m  --ef-add
 *          --threads 1  --milvus-size 10000 (0 skips Milvus)  --seed 1
 *          --data photos|isotropic (see bench/_vectors.ts)
 * Query latency, reopen time and memory are measured in a fresh process that opens the
 * saved index, as the app does at start (bench/_search-reopen.ts).
 * Prints figures, then a last line `RESULT {json}`. Not a test: it asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openEmbeddedStore } from '../src/main/core/vectors/embedded';
import { openMilvusStore } from '../src/main/core/vectors/milvus';
import { startMilvusLite } from '../src/main/core/vectors/milvus-lite';
import type { VectorHit, VectorStore } from '../src/main/core/vectors/port';
import type { ReopenRun } from './_search-reopen';
import { argValue, percentile } from './_util';
import { type DataShape, Dataset, exactTopK, type Neighbours, norms, photoId } from './_vectors';

const here = dirname(fileURLToPath(import.meta.url));

interface Options {
  sizes: number[];
  dim: number;
  queries: number;
  exactQueries: number;
  /** Search list sizes to measure on the saved graph; the first is the store's default. */
  efs: number[];
  /** Rescoring factors (candidates per hit) to measure; the first is the store's default. */
  rescores: number[];
  /** Graph links per node (M) and build candidate list, when not the store's defaults. */
  m?: number;
  efAdd?: number;
  threads: number;
  milvusSize: number;
  seed: number;
  data: DataShape;
}

function parse(args: string[]): Options {
  const value = (name: string) => argValue(args, `--${name}`);
  const numbers = (text: string | undefined) => (text ?? '').split(',').filter(Boolean).map(Number);
  const sizes = numbers(value('sizes') ?? '10000,100000').filter((n) => n > 0);
  if (args.includes('--full') && !sizes.includes(1_000_000)) sizes.push(1_000_000);
  const data = value('data') ?? 'photos';
  if (data !== 'photos' && data !== 'isotropic') throw new Error(`--data must be photos or isotropic`);
  return {
    sizes,
    dim: Number(value('dim') ?? 2048),
    queries: Number(value('queries') ?? 200),
    exactQueries: Number(value('exact-queries') ?? 50),
    efs: [value('ef') ? Number(value('ef')) : 0, ...numbers(value('efs'))],
    rescores: [0, ...numbers(value('rescores'))],
    m: value('m') ? Number(value('m')) : undefined,
    efAdd: value('ef-add') ? Number(value('ef-add')) : undefined,
    threads: Number(value('threads') ?? 1),
    milvusSize: Number(value('milvus-size') ?? 10_000),
    seed: Number(value('seed') ?? 1),
    data,
  };
}

const label = (n: number) =>
  n >= 1_000_000 ? `${n / 1_000_000}m` : n >= 1000 ? `${Math.round(n / 1000)}k` : `${n}`;
const round = (x: number, digits = 3) => Number(x.toFixed(digits));

async function fill(store: VectorStore, data: Dataset, count = data.n): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < count; i += 1000) {
    const items = [];
    for (let j = i; j < Math.min(count, i + 1000); j++) {
      items.push({ id: photoId(j), vector: data.vector(j), folderIds: [data.folder[j]!], takenAt: j });
    }
    await store.upsert(items);
  }
  return (performance.now() - started) / 1000;
}

async function timeQueries(
  store: VectorStore,
  queries: Float32Array[],
  folder?: (q: number) => number,
): Promise<{ times: number[]; hits: VectorHit[][] }> {
  const times: number[] = [];
  const hits: VectorHit[][] = [];
  for (let q = 0; q < queries.length; q++) {
    const started = performance.now();
    hits.push(await store.search(queries[q]!, 10, folder ? { folderIds: [folder(q)] } : undefined));
    times.push(performance.now() - started);
  }
  return { times, hits };
}

function recall(hits: VectorHit[][], truth: Neighbours[]): number {
  let found = 0;
  let total = 0;
  truth.forEach((neighbours, q) => {
    const got = new Set(hits[q]!.map((hit) => hit.id));
    found += neighbours.ids.filter((id) => got.has(id)).length;
    total += neighbours.ids.length;
  });
  return found / total;
}

/**
 * Recall that forgives ties (as ann-benchmarks' epsilon recall does): a hit counts when
 * its exact cosine is within TIE of the true 10th best. On data where dozens of photos
 * are equally similar to the query, this tells a near-tie swap from a real miss.
 */
const TIE = 0.001;
function tieRecall(hits: VectorHit[][], truth: Neighbours[]): number {
  let found = 0;
  let total = 0;
  truth.forEach((neighbours, q) => {
    found += hits[q]!.slice(0, neighbours.ids.length).filter(
      (hit) => hit.score >= neighbours.kth - TIE,
    ).length;
    total += neighbours.ids.length;
  });
  return found / total;
}

function dirBytes(dir: string, match: RegExp): number {
  return readdirSync(dir)
    .filter((name) => match.test(name))
    .reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
}

/**
 * Opens the saved index in a fresh process per setting (bench/_search-reopen.ts says why)
 * and answers the queries there: the store's own settings first, then every other pair
 * of ef and rescoring factor.
 */
function reopenElsewhere(dir: string, o: Options, queries: Float32Array[], work: string): ReopenRun[] {
  const file = join(work, 'queries.f32');
  const all = new Float32Array(queries.length * o.dim);
  queries.forEach((q, i) => {
    all.set(q, i * o.dim);
  });
  writeFileSync(file, all);
  const settings = o.efs.flatMap((ef) => o.rescores.map((rescore) => [ef, rescore]));
  return settings.map(([ef, rescore]) => {
    const script = join(here, '_search-reopen.ts');
    const args = [dir, o.dim, o.threads, file, ef, rescore].map(String);
    const output = execFileSync(process.execPath, ['--import', 'tsx', script, ...args], {
      maxBuffer: 1 << 28,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    return JSON.parse(output.toString()) as ReopenRun;
  });
}

export async function run(args: string[] = []): Promise<Record<string, number>> {
  const o = parse(args);
  const result: Record<string, number> = {};
  const work = mkdtempSync(join(tmpdir(), 'komorebi-bench-search-'));
  const log = (line: string) => console.log(line);
  log(
    `search bench: sizes ${o.sizes.join(', ')}, ${o.dim}-d ${o.data} vectors, ${o.queries} queries, ${o.threads} thread(s)`,
  );
  try {
    for (const n of o.sizes) {
      const tag = label(n);
      const started = performance.now();
      const data = new Dataset(n, o.dim, o.seed, o.data);
      const dataNorms = norms(data);
      const queries = data.queries(o.queries);
      const exactCount = Math.min(o.exactQueries, queries.length);
      const folderOf = (q: number) => q % 20;
      log(`${tag}: data made in ${round((performance.now() - started) / 1000, 1)} s`);

      const exactTimes: number[] = [];
      const truth: Neighbours[] = [];
      const filteredTruth: Neighbours[] = [];
      for (let q = 0; q < exactCount; q++) {
        const begun = performance.now();
        truth.push(exactTopK(data, dataNorms, queries[q]!, 10));
        exactTimes.push(performance.now() - begun);
        filteredTruth.push(exactTopK(data, dataNorms, queries[q]!, 10, folderOf(q)));
      }

      const dir = join(work, `embedded-${tag}`);
      const store = await openEmbeddedStore({
        dir,
        model: 'bench',
        dimension: o.dim,
        ...(o.efs[0] ? { expansionSearch: o.efs[0] } : {}),
        ...(o.m ? { connectivity: o.m } : {}),
        ...(o.efAdd ? { expansionAdd: o.efAdd } : {}),
        threads: o.threads,
        saveDelayMs: 3_600_000,
        maxSaveDelayMs: 3_600_000,
      });
      const buildSeconds = await fill(store, data);
      const saveStarted = performance.now();
      await store.flush();
      const saveSeconds = (performance.now() - saveStarted) / 1000;
      const filtered = await timeQueries(store, queries, folderOf);
      await store.close();
      const indexBytes = dirBytes(dir, /\.usearch$/);
      const copyBytes = dirBytes(dir, /\.f16$/);

      const runs = reopenElsewhere(dir, o, queries, work);
      const exactP95 = percentile(exactTimes, 95);
      Object.assign(result, {
        [`embedded_${tag}_build_s`]: round(buildSeconds, 1),
        [`embedded_${tag}_save_s`]: round(saveSeconds, 2),
        [`exact_${tag}_p50_ms`]: round(percentile(exactTimes, 50), 1),
        [`exact_${tag}_p95_ms`]: round(exactP95, 1),
        [`embedded_${tag}_bytes_per_vector`]: Math.round(indexBytes / n),
        [`embedded_${tag}_f16_copy_bytes_per_vector`]: Math.round(copyBytes / n),
        [`embedded_${tag}_filtered_p95_ms`]: round(percentile(filtered.times, 95)),
        [`embedded_${tag}_filtered_recall10`]: round(
          recall(filtered.hits.slice(0, exactCount), filteredTruth),
        ),
      });
      log(
        `embedded ${tag}: build ${round(buildSeconds, 1)} s, save ${round(saveSeconds, 2)} s, ` +
          `graph ${Math.round(indexBytes / n)} B/vector in memory + f16 copy ${Math.round(copyBytes / n)} B/vector on disk; ` +
          `one folder of 20: p95 ${result[`embedded_${tag}_filtered_p95_ms`]} ms, recall@10 ${result[`embedded_${tag}_filtered_recall10`]}`,
      );
      runs.forEach((r, i) => {
        // The first run is the store's own settings; the others are named by their ef.
        const key = i === 0 ? `embedded_${tag}` : `embedded_${tag}_ef${r.ef}_rescore${r.rescore}`;
        Object.assign(result, {
          [`${key}_p50_ms`]: round(percentile(r.times, 50)),
          [`${key}_p95_ms`]: round(percentile(r.times, 95)),
          [`${key}_recall10`]: round(recall(r.hits.slice(0, exactCount), truth)),
          [`${key}_tie_recall10`]: round(tieRecall(r.hits.slice(0, exactCount), truth)),
        });
        if (i === 0) {
          Object.assign(result, {
            [`embedded_${tag}_reopen_ms`]: round(r.reopenMs, 1),
            [`embedded_${tag}_first_query_ms`]: round(r.firstQueryMs, 1),
            [`embedded_${tag}_rss_mb`]: Math.round(r.rssMb),
            [`speedup_${tag}`]: round(exactP95 / percentile(r.times, 95), 1),
          });
        }
        log(
          `embedded ${tag}, ef ${r.ef}, ${r.rescore}k rescored, reopened in a fresh process: ready in ${round(r.reopenMs, 1)} ms, ` +
            `first query ${round(r.firstQueryMs, 1)} ms, then ` +
            `p50 ${result[`${key}_p50_ms`]} ms, p95 ${result[`${key}_p95_ms`]} ms, recall@10 ${result[`${key}_recall10`]} ` +
            `(${result[`${key}_tie_recall10`]} counting hits within ${TIE} of the 10th best), ` +
            `RSS ${Math.round(r.rssMb)} MB (a bare process: ${Math.round(r.baseRssMb)} MB)`,
        );
      });
      log(
        `exact JS ${tag}: p50 ${result[`exact_${tag}_p50_ms`]} ms, p95 ${result[`exact_${tag}_p95_ms`]} ms ` +
          `-> the embedded store is ${result[`speedup_${tag}`]}x faster at p95`,
      );
      rmSync(dir, { recursive: true, force: true });

      if (o.milvusSize > 0 && n === Math.max(...o.sizes))
        await benchMilvus(o, data, dataNorms, work, result, log);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  log(`RESULT ${JSON.stringify(result)}`);
  return result;
}

async function benchMilvus(
  o: Options,
  source: Dataset,
  sourceNorms: Float32Array,
  work: string,
  result: Record<string, number>,
  log: (line: string) => void,
): Promise<void> {
  const m = Math.min(o.milvusSize, source.n);
  const data = m === source.n ? source : new Dataset(m, o.dim, o.seed, o.data);
  const dataNorms = m === source.n ? sourceNorms : norms(data);
  const queries = data.queries(Math.min(o.queries, 100));
  const truth = queries.map((q) => exactTopK(data, dataNorms, q, 10));
  const server = await startMilvusLite({ dataDir: join(work, 'milvus') });
  try {
    const store = await openMilvusStore({
      connection: { uri: server.uri },
      model: 'bench',
      dimension: o.dim,
    });
    const seconds = await fill(store, data);
    await store.search(queries[0]!, 10);
    const timed = await timeQueries(store, queries);
    await store.close();
    const tag = label(m);
    Object.assign(result, {
      [`milvus_${tag}_insert_per_s`]: Math.round(m / seconds),
      [`milvus_${tag}_p50_ms`]: round(percentile(timed.times, 50)),
      [`milvus_${tag}_p95_ms`]: round(percentile(timed.times, 95)),
      [`milvus_${tag}_recall10`]: round(recall(timed.hits, truth)),
    });
    log(
      `Milvus Lite ${tag}: insert ${result[`milvus_${tag}_insert_per_s`]} rows/s, p50 ${result[`milvus_${tag}_p50_ms`]} ms, ` +
        `p95 ${result[`milvus_${tag}_p95_ms`]} ms, recall@10 ${result[`milvus_${tag}_recall10`]}`,
    );
  } finally {
    await server.stop();
  }
}

// Allow `npx tsx bench/search.ts ...` directly as well as through bench/run.ts.
if (process.argv[1]?.endsWith('search.ts')) {
  run(process.argv.slice(2)).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
