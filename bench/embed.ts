/**
 * `npm run bench -- embed [--photos 300]`, with the seeded ResNet-50 graph (ResNet-50's
 * exact cost) on distinct 12 MP JPEGs, all in one run:
 *  1. model_only   onnxruntime alone on ready tensors, best of a few batch/thread plans
 *  2. decode_only  decoding + preparing the model input alone, on all cores
 *  3. bound        what both stages allow together: 1 / (1/model_only + 1/decode_only)
 *  4. pipeline     the real pipeline, files to stored embeddings (durable jobs, worker pool,
 *                  SQLite), and ratio_to_bound = pipeline / bound
 *  5. naive        the original approach: one photo at a time, decode then infer
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { makeSeededResnet50, seededResnet50Path } from '../scripts/models/make-seeded-resnet50';
import { createCore } from '../src/main/core/app';
import { defaultManifestDir, findManifest } from '../src/main/core/embed/manifest';
import { openEmbeddingSession } from '../src/main/core/embed/onnx';
import { preprocessImage } from '../src/main/core/embed/preprocess';
import { waitUntilSettled } from '../tests/helpers/settle';
import { photoSet } from './_photos';
import { argValue, linkOrCopy, printResult } from './_util';

const SEED = 1;

export async function run(args: string[]): Promise<void> {
  const count = Number(argValue(args, '--photos') ?? 300);
  const cores = os.availableParallelism();
  console.log(`preparing ${count} distinct 12 MP JPEGs and the seeded ResNet-50 graph...`);
  const files = await photoSet('ingest-12mp', count);
  const modelPath = seededResnet50Path(SEED);
  if (!existsSync(modelPath)) makeSeededResnet50(modelPath, SEED);
  const manifest = { ...findManifest('resnet50-seeded', defaultManifestDir()), benchmarkOnly: false };

  // 1. The model alone, on tensors already made.
  const tensor = await preprocessImage(files[0]!, manifest);
  let modelOnly = 0;
  let bestPlan = '';
  for (const plan of [
    { threads: cores, batch: 4 },
    { threads: cores, batch: 8 },
    { threads: cores, batch: 1 },
  ]) {
    const session = await openEmbeddingSession(modelPath, manifest, { intraOpThreads: plan.threads });
    const batch = Array.from({ length: plan.batch }, () => tensor);
    await session.run(batch); // warm-up
    const n = Math.max(48, plan.batch * 8);
    const s = performance.now();
    for (let done = 0; done < n; done += plan.batch) await session.run(batch);
    const perSecond = n / ((performance.now() - s) / 1000);
    console.log(`model_only batch ${plan.batch}, ${plan.threads} threads: ${perSecond.toFixed(1)} photos/s`);
    if (perSecond > modelOnly) {
      modelOnly = perSecond;
      bestPlan = `batch ${plan.batch}, ${plan.threads} threads`;
    }
    await session.release();
  }

  // 2. Decoding and preparing alone, all cores busy (sharp runs on libuv's threads).
  const decodeSet = files.slice(0, Math.min(files.length, 120));
  const d0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: cores * 2 }, async () => {
      while (next < decodeSet.length) await preprocessImage(decodeSet[next++]!, manifest);
    }),
  );
  const decodeOnly = decodeSet.length / ((performance.now() - d0) / 1000);
  console.log(`decode_only: ${decodeOnly.toFixed(1)} photos/s on ${cores} cores`);
  const bound = 1 / (1 / modelOnly + 1 / decodeOnly);

  // 4. The real pipeline: a library already ingested (thumbnails done, no model), then the
  // model switched on; timed from the switch to the last stored vector.
  const root = mkdtempSync(join(os.tmpdir(), 'komorebi-bench-embed-'));
  try {
    const photos = join(root, 'photos');
    const manifests = join(root, 'manifests');
    const emptyManifests = join(root, 'no-manifests');
    for (const d of [photos, manifests, emptyManifests]) mkdirSync(d, { recursive: true });
    for (const f of files) linkOrCopy(f, join(photos, f.split('/').pop()!));
    writeFileSync(join(manifests, 'resnet50-seeded.json'), JSON.stringify(manifest));
    const dataDir = join(root, 'data');
    const ingestCore = await createCore({
      dataDir,
      shell: 'test',
      notifier: { emit: () => {} },
      manifestDir: emptyManifests,
    });
    await ingestCore.handlers['folders:add']({ path: photos });
    await waitUntilSettled(ingestCore);
    await ingestCore.close();

    const p0 = performance.now();
    const core = await createCore({
      dataDir,
      shell: 'test',
      notifier: { emit: () => {} },
      manifestDir: manifests,
      modelDirs: [join(modelPath, '..')],
    });
    // Timed to the last vector stored in SQLite (the index copy follows on its own).
    let models = await core.handlers['models:list']({});
    let embedded = 0;
    for (;;) {
      models = await core.handlers['models:list']({});
      embedded = models.models.find((m) => m.id === 'resnet50-seeded')?.embedded ?? 0;
      if (embedded >= count || performance.now() - p0 > 3_600_000) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const pipelineSeconds = (performance.now() - p0) / 1000;
    await core.close();
    if (embedded !== count) throw new Error(`expected ${count} vectors, found ${embedded}`);
    const pipeline = count / pipelineSeconds;
    console.log(
      `pipeline: ${pipeline.toFixed(1)} photos/s (${models.workers} workers x ${models.threadsPerWorker} threads)`,
    );

    // 5. The naive loop: one photo at a time, decode, infer.
    const session = await openEmbeddingSession(modelPath, manifest, { intraOpThreads: cores });
    const naiveSet = files.slice(0, Math.min(files.length, 40));
    const n0 = performance.now();
    for (const f of naiveSet) await session.run([await preprocessImage(f, manifest)]);
    const naive = naiveSet.length / ((performance.now() - n0) / 1000);
    console.log(`naive: ${naive.toFixed(1)} photos/s`);

    const round = (x: number) => Math.round(x * 100) / 100;
    printResult({
      photos: count,
      cores,
      model_only: round(modelOnly),
      model_only_plan: bestPlan,
      decode_only: round(decodeOnly),
      bound: round(bound),
      pipeline: round(pipeline),
      ratio_to_bound: round(pipeline / bound),
      naive: round(naive),
      speedup_vs_naive: round(pipeline / naive),
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
