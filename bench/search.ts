/**
 * Vector search benchmark: the embedded store (usearch HNSW f16) against exact brute force,
 * and Milvus Lite, on clustered synthetic 2048-d vectors shaped like ResNet-50 pooled
 * features (non-negative, a shared component, clusters of very different sizes).
 *
 *   npx tsx bench/run.ts search                      sizes 10000,100000 + Milvus Lite at 10000
 *   npx tsx bench/run.ts search --sizes 2000 --milvus-size 1000 --queries 50   (quick check)
 *   npx tsx bench/run.ts search --full               adds 1,000,000 (needs ~14 GB RAM, ~15 min)
 *
 * Options: --sizes a,b  --dim 2048  --queries 200  --exact-queries 50  --ef 128  --threads 1
 *          --milvus-size 10000 (0 skips Milvus)  --seed 1
 * Prints figures, then a last line `RESULT {json}`. Not a test: it asserts nothing.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedStore } from '../src/main/core/vectors/embedded';
import { openMilvusStore } from '../src/main/core/vectors/milvus';
import { startMilvusLite } from '../src/main/core/vectors/milvus-lite';
import type { VectorHit, VectorStore } from '../src/main/core/vectors/port';

interface Options {
  sizes: number[];
  dim: number;
  queries: number;
  exactQueries: number;
  ef: number;
  /** More ef values to measure on the same saved graph. */
  efs: number[];
  /** Graph links per node (M) and build candidate list, when not the store's defaults. */
  m?: number;
  efAdd?: number;
  threads: number;
  milvusSize: number;
  seed: number;
}

function parse(args: string[]): Options {
  const value = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const sizes = (value('sizes') ?? '10000,100000')
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
  if (args.includes('--full') && !sizes.includes(1_000_000)) sizes.push(1_000_000);
  return {
    sizes,
    dim: Number(value('dim') ?? 2048),
    queries: Number(value('queries') ?? 200),
    exactQueries: Number(value('exact-queries') ?? 50),
    ef: Number(value('ef') ?? 128),
    m: value('m') ? Number(value('m')) : undefined,
    efAdd: value('ef-add') ? Number(value('ef-add')) : undefined,
    efs: (value('efs') ?? '').split(',').filter(Boolean).map(Number),
    threads: Number(value('threads') ?? 1),
    milvusSize: Number(value('milvus-size') ?? 10_000),
    seed: Number(value('seed') ?? 1),
  };
}

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Clustered, non-negative vectors; vector i lives in chunk i / CHUNK to avoid one huge buffer. */
class Dataset {
  static readonly CHUNK = 16_384;
  readonly chunks: Float32Array[] = [];
  readonly folder: Uint16Array;
  private readonly centres: Float32Array[];
  private readonly spread: number[];
  private readonly shared: Float32Array;
  private readonly random: () => number;

  constructor(
    readonly n: number,
    readonly dim: number,
    seed: number,
  ) {
    this.random = rng(seed);
    this.shared = Float32Array.from({ length: dim }, () => Math.abs(this.gauss()));
    const clusters = Math.max(10, Math.round(n / 150));
    this.centres = Array.from({ length: clusters }, () =>
      Float32Array.from({ length: dim }, () => Math.abs(this.gauss())),
    );
    this.spread = this.centres.map(() => 0.35 + this.random() * 0.6);
    // Zipf-like cluster sizes: a few big events, many small ones.
    const weights = this.centres.map((_, c) => 1 / (c + 1) ** 0.9);
    const total = weights.reduce((a, b) => a + b, 0);
    const cumulative: number[] = [];
    weights.reduce((sum, w, c) => (cumulative[c] = sum + w / total), 0);
    this.folder = new Uint16Array(n);
    for (let i = 0; i < n; i += Dataset.CHUNK) {
      const count = Math.min(Dataset.CHUNK, n - i);
      const chunk = new Float32Array(count * dim);
      for (let j = 0; j < count; j++) {
        const u = this.random();
        const cluster = Math.max(
          0,
          cumulative.findIndex((c) => c >= u),
        );
        this.sample(cluster, chunk.subarray(j * dim, (j + 1) * dim));
        this.folder[i + j] = Math.floor(this.random() * 20);
      }
      this.chunks.push(chunk);
    }
  }

  private gauss(): number {
    return Math.sqrt(-2 * Math.log(this.random() + 1e-12)) * Math.cos(2 * Math.PI * this.random());
  }

  private sample(cluster: number, out: Float32Array): void {
    const centre = this.centres[cluster]!;
    const spread = this.spread[cluster]!;
    for (let d = 0; d < this.dim; d++)
      out[d] = Math.max(0, 0.6 * this.shared[d]! + centre[d]! + spread * this.gauss());
  }

  vector(i: number): Float32Array {
    const chunk = this.chunks[Math.floor(i / Dataset.CHUNK)]!;
    const j = i % Dataset.CHUNK;
    return chunk.subarray(j * this.dim, (j + 1) * this.dim);
  }

  /** Half near-duplicates of stored photos, half new photos from the same clusters. */
  queries(count: number): Float32Array[] {
    return Array.from({ length: count }, (_, q) => {
      const out = new Float32Array(this.dim);
      if (q % 2 === 0) {
        const base = this.vector(Math.floor(this.random() * this.n));
        for (let d = 0; d < this.dim; d++) out[d] = Math.max(0, base[d]! + 0.3 * this.gauss());
      } else {
        this.sample(Math.floor(this.random() * this.centres.length), out);
      }
      return out;
    });
  }
}

function norms(data: Dataset): Float32Array {
  const out = new Float32Array(data.n);
  for (let i = 0; i < data.n; i++) {
    const v = data.vector(i);
    let s = 0;
    for (let d = 0; d < data.dim; d++) s += v[d]! * v[d]!;
    out[i] = Math.sqrt(s);
  }
  return out;
}

/** Plain-JS exact cosine top-k: the baseline and the ground truth for recall. */
function exactTopK(
  data: Dataset,
  dataNorms: Float32Array,
  query: Float32Array,
  k: number,
  folder?: number,
): string[] {
  let qn = 0;
  for (let d = 0; d < data.dim; d++) qn += query[d]! * query[d]!;
  qn = Math.sqrt(qn);
  const top: { i: number; s: number }[] = [];
  let floor = -Infinity;
  for (let i = 0; i < data.n; i++) {
    if (folder !== undefined && data.folder[i] !== folder) continue;
    const v = data.vector(i);
    let dot = 0;
    for (let d = 0; d < data.dim; d++) dot += v[d]! * query[d]!;
    const s = dot / (dataNorms[i]! * qn);
    if (top.length < k || s > floor) {
      top.push({ i, s });
      top.sort((a, b) => b.s - a.s);
      if (top.length > k) top.pop();
      floor = top[top.length - 1]!.s;
    }
  }
  return top.map((t) => `v${t.i}`);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const label = (n: number) =>
  n >= 1_000_000 ? `${n / 1_000_000}m` : n >= 1000 ? `${Math.round(n / 1000)}k` : `${n}`;
const round = (x: number, digits = 3) => Number(x.toFixed(digits));

async function fill(store: VectorStore, data: Dataset, count = data.n): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < count; i += 1000) {
    const items = [];
    for (let j = i; j < Math.min(count, i + 1000); j++) {
      items.push({ id: `v${j}`, vector: data.vector(j), folderIds: [data.folder[j]!], takenAt: j });
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

function rescoreExact(candidates: VectorHit[], query: Float32Array, data: Dataset): VectorHit[] {
  let qn = 0;
  for (const x of query) qn += x * x;
  return candidates
    .map((c) => {
      const v = data.vector(Number(c.id.slice(1)));
      let dot = 0;
      let vn = 0;
      for (let d = 0; d < v.length; d++) {
        dot += v[d]! * query[d]!;
        vn += v[d]! * v[d]!;
      }
      return { id: c.id, score: dot / Math.sqrt(vn * qn) };
    })
    .sort((a, b) => b.score - a.score);
}

function recall(hits: VectorHit[][], truth: string[][]): number {
  let found = 0;
  let total = 0;
  truth.forEach((ids, q) => {
    const got = new Set(hits[q]!.map((h) => h.id));
    found += ids.filter((id) => got.has(id)).length;
    total += ids.length;
  });
  return found / total;
}

function dirBytes(dir: string, match: RegExp): number {
  return readdirSync(dir)
    .filter((name) => match.test(name))
    .reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
}

export async function run(args: string[] = []): Promise<Record<string, number>> {
  const o = parse(args);
  const result: Record<string, number> = {};
  const work = mkdtempSync(join(tmpdir(), 'komorebi-bench-search-'));
  const log = (line: string) => console.log(line);
  log(
    `search bench: sizes ${o.sizes.join(', ')}, ${o.dim}-d, ${o.queries} queries, ef ${o.ef}, ${o.threads} thread(s)`,
  );
  try {
    for (const n of o.sizes) {
      const tag = label(n);
      const data = new Dataset(n, o.dim, o.seed);
      const dataNorms = norms(data);
      const queries = data.queries(o.queries);
      const exactCount = Math.min(o.exactQueries, queries.length);
      const folderOf = (q: number) => q % 20;

      const exactTimes: number[] = [];
      const truth: string[][] = [];
      const filteredTruth: string[][] = [];
      for (let q = 0; q < exactCount; q++) {
        const started = performance.now();
        truth.push(exactTopK(data, dataNorms, queries[q]!, 10));
        exactTimes.push(performance.now() - started);
        filteredTruth.push(exactTopK(data, dataNorms, queries[q]!, 10, folderOf(q)));
      }

      const dir = join(work, `embedded-${tag}`);
      global.gc?.();
      const rssBefore = process.memoryUsage().rss;
      const store = await openEmbeddedStore({
        dir,
        model: 'bench',
        dimension: o.dim,
        expansionSearch: o.ef,
        ...(o.m ? { connectivity: o.m } : {}),
        ...(o.efAdd ? { expansionAdd: o.efAdd } : {}),
        threads: o.threads,
        saveDelayMs: 3_600_000,
      });
      const buildSeconds = await fill(store, data);
      const rssPerVector = (process.memoryUsage().rss - rssBefore) / n;
      const saveStarted = performance.now();
      await store.flush();
      const saveSeconds = (performance.now() - saveStarted) / 1000;
      const plain = await timeQueries(store, queries);
      const filtered = await timeQueries(store, queries, folderOf);
      await store.close();
      // The same saved graph searched with other candidate-list sizes (ef): recall vs latency.
      for (const ef of o.efs) {
        const reopened = await openEmbeddedStore({
          dir,
          model: 'bench',
          dimension: o.dim,
          expansionSearch: ef,
          threads: o.threads,
        });
        const again = await timeQueries(reopened, queries);
        // What the app does (src/main/core/search/similar.ts): 3x the candidates from the
        // f16 graph, rescored with the exact float32 vectors SQLite holds.
        const rescoredTimes: number[] = [];
        const rescored: VectorHit[][] = [];
        for (let q = 0; q < exactCount; q++) {
          const started = performance.now();
          const candidates = await reopened.search(queries[q]!, 30);
          rescored.push(rescoreExact(candidates, queries[q]!, data).slice(0, 10));
          rescoredTimes.push(performance.now() - started);
        }
        await reopened.close();
        Object.assign(result, {
          [`recall10_${tag}_ef${ef}_rescored`]: round(recall(rescored, truth)),
          [`embedded_${tag}_ef${ef}_rescored_p95_ms`]: round(percentile(rescoredTimes, 95)),
        });
        log(
          `embedded ${tag} at ef ${ef}, 30 candidates rescored in float32: p95 ${result[`embedded_${tag}_ef${ef}_rescored_p95_ms`]} ms, recall@10 ${result[`recall10_${tag}_ef${ef}_rescored`]}`,
        );
        Object.assign(result, {
          [`embedded_${tag}_ef${ef}_p95_ms`]: round(percentile(again.times, 95)),
          [`recall10_${tag}_ef${ef}`]: round(recall(again.hits.slice(0, exactCount), truth)),
        });
        log(
          `embedded ${tag} at ef ${ef}: p50 ${round(percentile(again.times, 50))} ms, p95 ${round(percentile(again.times, 95))} ms, ` +
            `recall@10 ${result[`recall10_${tag}_ef${ef}`]}`,
        );
      }
      const indexBytes = dirBytes(dir, /\.usearch$/);
      const sideBytes = dirBytes(dir, /\.f16$/);

      const embeddedP95 = percentile(plain.times, 95);
      const exactP95 = percentile(exactTimes, 95);
      Object.assign(result, {
        [`embedded_${tag}_build_s`]: round(buildSeconds, 1),
        [`embedded_${tag}_save_s`]: round(saveSeconds, 2),
        [`embedded_${tag}_p50_ms`]: round(percentile(plain.times, 50)),
        [`embedded_${tag}_p95_ms`]: round(embeddedP95),
        [`embedded_${tag}_filtered_p95_ms`]: round(percentile(filtered.times, 95)),
        [`exact_${tag}_p50_ms`]: round(percentile(exactTimes, 50), 1),
        [`exact_${tag}_p95_ms`]: round(exactP95, 1),
        [`speedup_${tag}`]: round(exactP95 / embeddedP95, 1),
        [`recall10_${tag}`]: round(recall(plain.hits.slice(0, exactCount), truth)),
        [`recall10_filtered_${tag}`]: round(recall(filtered.hits.slice(0, exactCount), filteredTruth)),
        [`rss_bytes_per_vector_${tag}`]: Math.round(rssPerVector),
        bytes_per_vector: Math.round(indexBytes / n),
        sidecar_bytes_per_vector: Math.round(sideBytes / n),
      });
      log(
        `embedded ${tag}: build ${round(buildSeconds, 1)} s, save ${round(saveSeconds, 2)} s, ` +
          `p50 ${result[`embedded_${tag}_p50_ms`]} ms, p95 ${result[`embedded_${tag}_p95_ms`]} ms ` +
          `(one folder of 20: p95 ${result[`embedded_${tag}_filtered_p95_ms`]} ms), ` +
          `recall@10 ${result[`recall10_${tag}`]} (filtered ${result[`recall10_filtered_${tag}`]}), ` +
          `index ${Math.round(indexBytes / n)} B/vector + f16 copy ${Math.round(sideBytes / n)} B/vector, ` +
          `RSS +${Math.round(rssPerVector)} B/vector`,
      );
      log(
        `exact JS ${tag}: p50 ${result[`exact_${tag}_p50_ms`]} ms, p95 ${result[`exact_${tag}_p95_ms`]} ms ` +
          `-> HNSW is ${result[`speedup_${tag}`]}x faster at p95`,
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
  const data = m === source.n ? source : new Dataset(m, o.dim, o.seed);
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
