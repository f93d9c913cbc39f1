/**
 * `npm run bench -- embed [--photos 300]`, with ResNet-50 as the app installs it: the graph the
 * converter makes from a seeded stand-in for timm's model.safetensors (ResNet-50's exact cost),
 * on distinct 12 MP JPEGs, all in one run:
 *  0. install      importing the safetensors as the app does (read, SHA-256, convert, check in
 *                  onnxruntime, write), and the conversion alone
 *  1. model_only   onnxruntime alone on ready tensors, best of a few batch/thread plans
 *  2. decode_only  decoding + preparing the model input alone, on all cores
 *  3. bound        what both stages allow together: 1 / (1/model_only + 1/decode_only)
 *  4. pipeline     the real pipeline, files to stored embeddings (durable jobs, worker pool,
 *                  SQLite), and ratio_to_bound = pipeline / bound
 *  5. naive        the original approach: one photo at a time, decode then infer
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { seededTimmResnet50Path, writeSeededTimmResnet50 } from '../scripts/models/seeded-timm-resnet50';
import { createCore } from '../src/main/core/app';
import { convertTimmResnet50 } from '../src/main/core/embed/convert-resnet50';
import { defaultManifestDir, findManifest, type ModelManifest } from '../src/main/core/embed/manifest';
import { importModel } from '../src/main/core/embed/model-manager';
import { openEmbeddingSession } from '../src/main/core/embed/onnx';
import { preprocessImage } from '../src/main/core/embed/preprocess';
import { waitUntilSettled } from '../tests/helpers/settle';
import { photoSet } from './_photos';
import { argValue, linkOrCopy, printResult } from './_util';

const SEED = 1;

/**
 * The seeded weights installed through the app's import (so the benchmark runs the converter's
 * graph), timed; the conversion alone timed again on its own.
 */
async function installSeededResnet50(manifest: ModelManifest) {
  const weightsPath = seededTimmResnet50Path(SEED);
  if (!existsSync(weightsPath)) writeSeededTimmResnet50(weightsPath, SEED);
  const weights = readFileSync(weightsPath);
  const source = {
    kind: 'download' as const,
    url: 'https://example.invalid/model.safetensors',
    sha256: createHash('sha256').update(weights).digest('hex'),
    format: 'timm-resnet50-safetensors' as const,
  };
  const i0 = performance.now();
  const modelPath = await importModel(
    { ...manifest, source },
    weightsPath,
    join(dirname(weightsPath), 'converted'),
  );
  const installSeconds = (performance.now() - i0) / 1000;
  const c0 = performance.now();
  convertTimmResnet50(weights, weightsPath);
  return { modelPath, installSeconds, conversionSeconds: (performance.now() - c0) / 1000 };
}

export async function run(args: string[]): Promise<void> {
  const count = Number(argValue(args, '--photos') ?? 300);
  const cores = os.availableParallelism();
  console.log(`preparing ${count} distinct 12 MP JPEGs and the seeded timm ResNet-50 weights...`);
  const files = await photoSet('ingest-12mp', count);
  const manifest = { ...findManifest('resnet50-seeded', defaultManifestDir()), benchmarkOnly: false };
  const install = await installSeededResnet50(manifest);
  const modelPath = install.modelPath;
  console.log(
    `install: ${install.installSeconds.toFixed(2)} s (conversion alone ${install.conversionSeconds.toFixed(2)} s)`,
  );

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
      install_s: round(install.installSeconds),
      conversion_s: round(install.conversionSeconds),
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
