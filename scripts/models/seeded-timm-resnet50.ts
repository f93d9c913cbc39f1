// A stand-in for timm's resnet50.a1_in1k model.safetensors (which cannot be downloaded here):
// the same tensor names, shapes and dtypes (conv weights, BatchNorm weight/bias/running stats and
// num_batches_tracked, the 1000-class fc), with values from a seeded generator. The tests serve
// it over HTTP, convert it and compare the result with PyTorch; the benchmark converts it.
//
//   npx tsx scripts/models/seeded-timm-resnet50.ts [seed]  -> bench/.cache/timm-resnet50-seeded-<seed>.safetensors
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resnet50Convs } from '../../src/main/core/embed/resnet50-graph';
import { seededRandom } from '../seeded-random';

export interface NamedTensor {
  name: string;
  dtype: 'F32' | 'F16' | 'I64';
  shape: number[];
  /** Little-endian values; F16 as raw 16-bit patterns. */
  data: Float32Array | Uint16Array | BigInt64Array;
}

/** The state dict of timm resnet50 (= torchvision resnet50), seeded, in the file's order. */
export function seededTimmResnet50Tensors(seed: number): NamedTensor[] {
  const rand = seededRandom(seed);
  const uniform = (n: number, lo: number, hi: number) => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * rand();
    return a;
  };
  const tensors: NamedTensor[] = [];
  const f32 = (name: string, shape: number[], data: Float32Array) =>
    tensors.push({ name, dtype: 'F32', shape, data });
  for (const c of resnet50Convs()) {
    const down = c.name.endsWith('.downsample');
    const weightName = down ? `${c.name}.0.weight` : `${c.name}.weight`;
    const bn = down ? `${c.name}.1` : c.name.replace(/conv(\d)$/, 'bn$1');
    // He-uniform convolutions and BatchNorm statistics far from identity, so folding matters;
    // the last BatchNorm of a block starts small, as in trained ResNets, so 16 residual
    // additions keep the activations in range.
    const bound = Math.sqrt(6 / (c.cin * c.kernel * c.kernel));
    f32(
      weightName,
      [c.cout, c.cin, c.kernel, c.kernel],
      uniform(c.cout * c.cin * c.kernel * c.kernel, -bound, bound),
    );
    const last = c.name.endsWith('conv3') || down;
    f32(`${bn}.weight`, [c.cout], uniform(c.cout, last ? 0.1 : 0.6, last ? 0.4 : 1.4));
    f32(`${bn}.bias`, [c.cout], uniform(c.cout, -0.2, 0.2));
    f32(`${bn}.running_mean`, [c.cout], uniform(c.cout, -0.3, 0.3));
    f32(`${bn}.running_var`, [c.cout], uniform(c.cout, 0.3, 2.5));
    tensors.push({
      name: `${bn}.num_batches_tracked`,
      dtype: 'I64',
      shape: [],
      data: new BigInt64Array([100_000n]),
    });
  }
  f32('fc.weight', [1000, 2048], uniform(1000 * 2048, -0.02, 0.02));
  f32('fc.bias', [1000], uniform(1000, -0.01, 0.01));
  return tensors;
}

/** Encodes tensors as a safetensors file (header padded to 8 bytes, as the reference writer does). */
export function encodeSafetensors(tensors: NamedTensor[], metadata: Record<string, string> = {}): Buffer {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const t of tensors) {
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + json.length) % 8)) % 8);
  const out = Buffer.alloc(8 + json.length + offset);
  out.writeBigUInt64LE(BigInt(json.length), 0);
  out.write(json, 8, 'utf8');
  let at = 8 + json.length;
  for (const t of tensors) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}

export function seededTimmResnet50(seed: number): Buffer {
  return encodeSafetensors(seededTimmResnet50Tensors(seed), { format: 'pt', 'komorebi.seed': String(seed) });
}

export function seededTimmResnet50Path(seed: number): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return path.resolve(here, `../../bench/.cache/timm-resnet50-seeded-${seed}.safetensors`);
}

/** Writes the seeded safetensors to `outPath` (atomically) and returns its size in bytes. */
export function writeSeededTimmResnet50(outPath: string, seed: number): number {
  const bytes = seededTimmResnet50(seed);
  mkdirSync(path.dirname(outPath), { recursive: true });
  const tmp = `${outPath}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, outPath);
  return bytes.length;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const seed = Number(process.argv[2] ?? 1);
  if (!Number.isInteger(seed)) throw new Error(`The seed must be an integer, got "${process.argv[2]}".`);
  const out = seededTimmResnet50Path(seed);
  console.log(`Wrote ${out}: ${writeSeededTimmResnet50(out, seed)} bytes`);
}
