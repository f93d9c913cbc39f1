// Writes a ResNet-50 v1.5 graph (BatchNorm folded into the convolutions: 53 convs with biases,
// input [N,3,224,224], output [N,2048], opset 17) with weights from a seeded generator. It has
// ResNet-50's exact cost, so it is the model for speed benchmarks; its outputs mean nothing, so it
// is never offered to users. The same seed always gives the same bytes.
//
//   npx tsx scripts/models/make-seeded-resnet50.ts [seed]   -> bench/.cache/resnet50-seeded-<seed>.onnx
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { seededRandom } from '../seeded-random';
import { OnnxGraphBuilder } from './onnx-graph';

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
  const g = new OnnxGraphBuilder();
  let convs = 0;
  let convWeights = 0;
  // Uniform weights with He variance keep activations finite through 16 residual blocks.
  const conv = (
    x: string,
    cin: number,
    cout: number,
    k: number,
    stride: number,
    relu: boolean,
    name: string,
  ) => {
    const n = cout * cin * k * k;
    const bound = Math.sqrt(6 / (cin * k * k)) * 0.5;
    const w = new Float32Array(n);
    for (let i = 0; i < n; i++) w[i] = (rand() * 2 - 1) * bound;
    const b = new Float32Array(cout);
    for (let i = 0; i < cout; i++) b[i] = (rand() * 2 - 1) * 0.01;
    convs++;
    convWeights += n;
    const p = Math.floor(k / 2);
    const y = g.node(
      'Conv',
      [x, g.addFloat(`${name}.weight`, [cout, cin, k, k], w), g.addFloat(`${name}.bias`, [cout], b)],
      name,
      {
        kernel_shape: [k, k],
        strides: [stride, stride],
        pads: [p, p, p, p],
      },
    );
    return relu ? g.node('Relu', [y], `${name}.relu`) : y;
  };

  g.fresh('pixels');
  let x = conv('pixels', 3, 64, 7, 2, true, 'conv1');
  x = g.node('MaxPool', [x], 'maxpool', { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] });
  let cin = 64;
  const stages: [number, number][] = [
    [64, 3],
    [128, 4],
    [256, 6],
    [512, 3],
  ];
  stages.forEach(([width, blocks], s) => {
    for (let b = 0; b < blocks; b++) {
      const stride = b === 0 && s > 0 ? 2 : 1;
      const name = `layer${s + 1}.${b}`;
      // v1.5: the stride sits on the 3x3 convolution, not the first 1x1.
      let y = conv(x, cin, width, 1, 1, true, `${name}.conv1`);
      y = conv(y, width, width, 3, stride, true, `${name}.conv2`);
      y = conv(y, width, width * 4, 1, 1, false, `${name}.conv3`);
      const shortcut = b === 0 ? conv(x, cin, width * 4, 1, stride, false, `${name}.downsample`) : x;
      x = g.node('Relu', [g.node('Add', [y, shortcut], `${name}.add`)], `${name}.out`);
      cin = width * 4;
    }
  });
  x = g.node('GlobalAveragePool', [x], 'avgpool');
  g.node('Flatten', [x], 'flatten', { axis: 1 });
  g.renameLastOutput('embedding');
  const bytes = g.encode({
    graphName: 'resnet50_seeded',
    producer: 'komorebi make-seeded-resnet50',
    input: { name: 'pixels', shape: ['batch', 3, 224, 224] },
    output: { name: 'embedding', shape: ['batch', 2048] },
    metadata: { 'komorebi.seed': String(seed), 'komorebi.note': 'seeded weights: for speed benchmarks only' },
  });
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
