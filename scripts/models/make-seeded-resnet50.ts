// Writes the ResNet-50 v1.5 graph (src/main/core/embed/resnet50-graph.ts, the one the converter
// fills from timm's weights) with folded weights from a seeded generator. It has
// ResNet-50's exact cost, so it is the model for speed benchmarks; its outputs mean nothing, so it
// is never offered to users. The same seed always gives the same bytes.
//
//   npx tsx scripts/models/make-seeded-resnet50.ts [seed]   -> bench/.cache/resnet50-seeded-<seed>.onnx
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildResnet50Graph } from '../../src/main/core/embed/resnet50-graph';
import { seededRandom } from '../seeded-random';

const here = path.dirname(fileURLToPath(import.meta.url));

export function seededResnet50Path(seed: number): string {
  return path.resolve(here, `../../bench/.cache/resnet50-seeded-${seed}.onnx`);
}

export interface SeededResnetStats {
  convs: number;
  convWeights: number;
  bytes: number;
}

export function buildSeededResnet50(seed: number): { bytes: Uint8Array; stats: SeededResnetStats } {
  const rand = seededRandom(seed);
  let convs = 0;
  let convWeights = 0;
  // Uniform weights with He variance keep activations finite through 16 residual blocks.
  const bytes = buildResnet50Graph(
    ({ cout, cin, kernel }) => {
      const n = cout * cin * kernel * kernel;
      const bound = Math.sqrt(6 / (cin * kernel * kernel)) * 0.5;
      const weight = new Float32Array(n);
      for (let i = 0; i < n; i++) weight[i] = (rand() * 2 - 1) * bound;
      const bias = new Float32Array(cout);
      for (let i = 0; i < cout; i++) bias[i] = (rand() * 2 - 1) * 0.01;
      convs++;
      convWeights += n;
      return { weight, bias };
    },
    {
      graphName: 'resnet50_seeded',
      producer: 'komorebi make-seeded-resnet50',
      metadata: {
        'komorebi.seed': String(seed),
        'komorebi.note': 'seeded weights: for speed benchmarks only',
      },
    },
  );
  return { bytes, stats: { convs, convWeights, bytes: bytes.length } };
}

/** Writes the seeded model to `outPath` (atomically) and returns what it wrote. */
export function makeSeededResnet50(outPath: string, seed: number): SeededResnetStats {
  const { bytes, stats } = buildSeededResnet50(seed);
  mkdirSync(path.dirname(outPath), { recursive: true });
  const tmp = `${outPath}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, outPath);
  return stats;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const seed = Number(process.argv[2] ?? 1);
  if (!Number.isInteger(seed)) throw new Error(`The seed must be an integer, got "${process.argv[2]}".`);
  const out = seededResnet50Path(seed);
  const stats = makeSeededResnet50(out, seed);
  console.log(
    `Wrote ${out}: ${stats.convs} convolutions, ${stats.convWeights} conv weights, ${stats.bytes} bytes`,
  );
}
