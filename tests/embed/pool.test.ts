// The worker pool embeds batches in worker threads; a photo that cannot be read fails alone.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOfflineModel } from '../../scripts/models/build-offline-model';
import { loadManifest } from '../../src/main/core/embed/manifest';
import { openEmbeddingSession } from '../../src/main/core/embed/onnx';
import { openEmbedder } from '../../src/main/core/embed/open-embedder';
import { EmbedderPool, type EmbedItem, planThreads } from '../../src/main/core/embed/pool';
import { preprocessImage } from '../../src/main/core/embed/preprocess';
import { resolveEmbedWorker } from '../../src/main/core/embed/worker-url';
import { drawScene, makeTempDir } from './helpers';

const manifest = loadManifest('resources/models/mobilenet-v2-offline.json');
const tmp = makeTempDir();
let modelPath: string;
let pool: EmbedderPool;
const good: EmbedItem[] = [];

beforeAll(async () => {
  modelPath = buildOfflineModel().path;
  for (let i = 0; i < 5; i++) {
    const file = path.join(tmp.dir, `photo-${i}.jpg`);
    await sharp(await drawScene(900 + i, 300 + i * 20, 220))
      .jpeg()
      .toFile(file);
    good.push({ hash: `good-${i}`, path: file });
  }
  pool = await EmbedderPool.open({ manifest, modelPath, workers: 2, threadsPerWorker: 1, batchSize: 3 });
});

afterAll(async () => {
  await pool?.close();
  tmp.remove();
});

describe('EmbedderPool', () => {
  it('reports a corrupt, an empty and a missing file per item while the others in their batches succeed', async () => {
    const corrupt = path.join(tmp.dir, 'corrupt.jpg');
    await writeFile(corrupt, Buffer.from('this is not a jpeg at all'));
    const empty = path.join(tmp.dir, 'empty.png');
    await writeFile(empty, Buffer.alloc(0));
    const items: EmbedItem[] = [
      good[0]!,
      { hash: 'corrupt', path: corrupt },
      good[1]!,
      good[2]!,
      { hash: 'empty', path: empty },
      { hash: 'missing', path: path.join(tmp.dir, 'gone.jpg') },
      good[3]!,
      good[4]!,
    ];
    const heard: string[] = [];
    const results = await pool.embed(items, (r) => heard.push(r.hash));
    expect(results.map((r) => r.hash)).toEqual(items.map((i) => i.hash));
    expect(heard.sort()).toEqual(items.map((i) => i.hash).sort());
    for (const r of results) {
      if (r.hash.startsWith('good')) {
        expect(r.ok, r.ok ? '' : r.error).toBe(true);
        if (r.ok) expect(r.vector.length).toBe(1280);
      } else {
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.error).toContain(r.path);
      }
    }
  });

  it('gives the vectors that preprocessing plus the model give in this thread, in input order', async () => {
    const session = await openEmbeddingSession(modelPath, manifest, { intraOpThreads: 1 });
    const direct = await session.run(await Promise.all(good.map((g) => preprocessImage(g.path, manifest))));
    await session.release();
    const pooled = await pool.embed(good);
    pooled.forEach((r, i) => {
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      let worst = 0;
      for (let k = 0; k < 1280; k++) worst = Math.max(worst, Math.abs(r.vector[k]! - direct[i]![k]!));
      expect(worst).toBeLessThan(1e-5);
    });
  });

  it('streams results for an async iterable of photos', async () => {
    async function* library() {
      for (let round = 0; round < 3; round++)
        for (const g of good) yield { ...g, hash: `${g.hash}-${round}` };
    }
    const seen: string[] = [];
    for await (const r of pool.stream(library())) {
      expect(r.ok).toBe(true);
      seen.push(r.hash);
    }
    expect(seen.length).toBe(15);
    expect(new Set(seen).size).toBe(15);
  });

  it('refuses to start on a file that is not a model, naming the file', async () => {
    const bogus = path.join(tmp.dir, 'bogus.onnx');
    await writeFile(bogus, 'nope');
    await expect(
      EmbedderPool.open({ manifest, modelPath: bogus, workers: 1, threadsPerWorker: 1 }),
    ).rejects.toThrow(/Cannot load the model "MobileNetV2 \(offline, built in\)" from .*bogus\.onnx.*again/);
  });

  it('answers photos still waiting when closed with an error each, then refuses new work', async () => {
    const own = await EmbedderPool.open({
      manifest,
      modelPath,
      workers: 1,
      threadsPerWorker: 1,
      batchSize: 1,
    });
    const many = Array.from({ length: 12 }, (_, i) => ({ ...good[i % 5]!, hash: `late-${i}` }));
    const pending = own.embed(many);
    await own.close();
    const results = await pending;
    expect(results).toHaveLength(12);
    expect(results.some((r) => !r.ok && r.error === 'Embedding was stopped.')).toBe(true);
    await expect(own.embed(good)).rejects.toThrow(/closed/);
  });

  it('replaces a worker that dies: only the photos it held fail, later ones are embedded', async () => {
    const workerUrl = new URL('./fixtures/crash-on-path-worker.mjs', import.meta.url);
    const own = await EmbedderPool.open({
      manifest,
      modelPath,
      workers: 1,
      threadsPerWorker: 1,
      batchSize: 1,
      workerUrl,
    });
    try {
      const items = [
        good[0]!,
        { hash: 'crash', path: path.join(tmp.dir, 'x.crash') },
        good[1]!,
        good[2]!,
        good[3]!,
      ];
      const results = await own.embed(items);
      const crash = results[1]!;
      expect(crash.ok).toBe(false);
      if (!crash.ok) expect(crash.error).toMatch(/embedding worker stopped \(exit code 3\)/);
      // The photo in the other batch the worker held either finished first or failed with it.
      const first = results[0]!;
      if (!first.ok) expect(first.error).toMatch(/embedding worker stopped/);
      // Photos queued behind the crash are embedded by the replacement worker.
      expect(results.slice(2).every((r) => r.ok)).toBe(true);
      const after = await own.embed(good);
      expect(after.every((r) => r.ok)).toBe(true);
    } finally {
      await own.close();
    }
  });

  it('spreads a few photos over every worker instead of one full batch to one', async () => {
    const own = await EmbedderPool.open({
      manifest,
      modelPath,
      workers: 2,
      threadsPerWorker: 1,
      batchSize: 8,
      workerUrl: new URL('./fixtures/batch-report-worker.mjs', import.meta.url),
    });
    try {
      const items = (n: number) => Array.from({ length: n }, (_, i) => ({ hash: `h${i}`, path: `p${i}` }));
      const sent = async (n: number) => {
        const perThread = new Map<number, number>();
        const sizes = new Set<number>();
        for (const r of await own.embed(items(n))) {
          if (!r.ok) throw new Error(r.error);
          sizes.add(r.vector[0]!);
          perThread.set(r.vector[1]!, (perThread.get(r.vector[1]!) ?? 0) + 1);
        }
        return { sizes: [...sizes].sort(), perThread: [...perThread.values()].sort() };
      };
      expect(await sent(9)).toEqual({ sizes: [4, 5], perThread: [4, 5] });
      expect(await sent(22)).toEqual({ sizes: [4, 6], perThread: [10, 12] });
      expect(await sent(32)).toEqual({ sizes: [8], perThread: [16, 16] });
      expect(await sent(1)).toEqual({ sizes: [1], perThread: [1] });
    } finally {
      await own.close();
    }
  });

  it('opens by model id from the first folder holding the file, and says how to get a missing model', async () => {
    const empty = path.join(tmp.dir, 'no-models');
    await expect(openEmbedder({ modelId: 'mobilenet-v2-offline', modelDirs: [empty] })).rejects.toThrow(
      /"MobileNetV2 \(offline, built in\)" \(mobilenet-v2-offline\.onnx\) is not installed in .*no-models\. Build it with: npx tsx scripts\/models\/build-offline-model\.ts/,
    );
    await expect(openEmbedder({ modelId: 'resnet50-a1-in1k', modelDirs: [empty] })).rejects.toThrow(
      /Download it from Settings > Models/,
    );
    const { pool: own, manifest: m } = await openEmbedder({
      modelId: 'mobilenet-v2-offline',
      modelDirs: [empty, path.dirname(modelPath)],
      workers: 1,
      threadsPerWorker: 1,
    });
    try {
      expect(m.output.dim).toBe(1280);
      const [r] = await own.embed([good[0]!]);
      expect(r?.ok).toBe(true);
    } finally {
      await own.close();
    }
  });

  it('splits the cores between workers and threads', () => {
    expect(planThreads(1)).toEqual({ workers: 1, threadsPerWorker: 1 });
    expect(planThreads(2)).toEqual({ workers: 2, threadsPerWorker: 1 });
    expect(planThreads(16)).toEqual({ workers: 4, threadsPerWorker: 4 });
  });

  it('starts the TypeScript worker through the tsx bootstrap when running from source', () => {
    expect(resolveEmbedWorker().pathname.endsWith('/embed-worker-dev.mjs')).toBe(true);
  });

  it('finds the built worker beside the bundled main file or one folder up from a chunk', async () => {
    const out = path.join(tmp.dir, 'out-main');
    await mkdir(path.join(out, 'chunks'), { recursive: true });
    const base = (p: string) => pathToFileURL(path.join(out, p)).href;
    expect(() => resolveEmbedWorker(base('index.js'))).toThrow(/embed-worker\.js is missing from the build/);
    await writeFile(path.join(out, 'embed-worker.js'), '');
    expect(resolveEmbedWorker(base('index.js')).href).toBe(base('embed-worker.js'));
    expect(resolveEmbedWorker(base('chunks/pool-abc123.js')).href).toBe(base('embed-worker.js'));
  });
});
