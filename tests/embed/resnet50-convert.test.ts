// The safetensors -> ONNX converter on its own: the graph it writes, the BatchNorm folding
// checked against the definition, and the files it refuses. Its agreement with PyTorch itself is
// in resnet50-parity.test.ts.
import onnxProto from 'onnx-proto';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSeededResnet50 } from '../../scripts/models/make-seeded-resnet50';
import {
  encodeSafetensors,
  type NamedTensor,
  seededTimmResnet50Tensors,
} from '../../scripts/models/seeded-timm-resnet50';
import { convertTimmResnet50, TIMM_BATCHNORM_EPS } from '../../src/main/core/embed/convert-resnet50';

const { onnx } = onnxProto;
let tensors: NamedTensor[];
let model: onnxProto.onnx.ModelProto;
let unused: string[];

const tensor = (name: string) => tensors.find((t) => t.name === name)!.data as Float32Array;
const initializer = (name: string) => {
  const t = model.graph!.initializer!.find((i) => i.name === name)!;
  const raw = t.rawData!;
  return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
};
/** A copy of the seeded file with one tensor changed (or left out with `null`). */
const withTensor = (name: string, replacement: NamedTensor | null) =>
  encodeSafetensors(tensors.flatMap((t) => (t.name !== name ? [t] : replacement ? [replacement] : [])));

beforeAll(() => {
  tensors = seededTimmResnet50Tensors(11);
  const converted = convertTimmResnet50(encodeSafetensors(tensors), 'seeded.safetensors');
  model = onnx.ModelProto.decode(converted.onnx);
  unused = converted.unused;
});

describe('convertTimmResnet50', () => {
  it('writes the ResNet-50 graph of the seeded benchmark model: 53 folded convolutions, pixels -> 2048-d embedding', () => {
    const g = model.graph!;
    expect(g.node!.filter((n) => n.opType === 'Conv')).toHaveLength(53);
    const seeded = onnx.ModelProto.decode(buildSeededResnet50(1).bytes).graph!;
    expect(g.node!.map((n) => `${n.opType}:${n.input!.length}`)).toEqual(
      seeded.node!.map((n) => `${n.opType}:${n.input!.length}`),
    );
    expect(g.input![0]!.name).toBe('pixels');
    expect(g.output![0]!.name).toBe('embedding');
    const dims = g.output![0]!.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue));
    expect(dims).toEqual(['batch', 2048]);
    const meta = Object.fromEntries(model.metadataProps!.map((p) => [p.key, p.value]));
    expect(Number(meta['komorebi.batchnorm_eps'])).toBe(1e-5);
    // The classifier and BatchNorm's counters are not part of the pooled feature.
    expect(unused.sort()).toEqual(
      ['fc.bias', 'fc.weight', ...tensors.filter((t) => t.dtype === 'I64').map((t) => t.name)].sort(),
    );
  });

  it("folds each BatchNorm into its convolution as eval-mode PyTorch computes it, with timm's eps", () => {
    expect(TIMM_BATCHNORM_EPS).toBe(1e-5);
    for (const [conv, weightName, bn] of [
      ['conv1', 'conv1.weight', 'bn1'],
      ['layer2.0.downsample', 'layer2.0.downsample.0.weight', 'layer2.0.downsample.1'],
      ['layer4.2.conv3', 'layer4.2.conv3.weight', 'layer4.2.bn3'],
    ] as const) {
      const w = tensor(weightName);
      const [gamma, beta, mean, variance] = ['weight', 'bias', 'running_mean', 'running_var'].map((p) =>
        tensor(`${bn}.${p}`),
      ) as Float32Array[];
      const foldedW = initializer(`${conv}.weight`);
      const foldedB = initializer(`${conv}.bias`);
      const per = w.length / gamma!.length;
      let worst = 0;
      for (let o = 0; o < gamma!.length; o++) {
        const s = gamma![o]! / Math.sqrt(variance![o]! + 1e-5);
        worst = Math.max(worst, Math.abs(foldedB[o]! - (beta![o]! - mean![o]! * s)));
        for (const i of [o * per, o * per + per - 1])
          worst = Math.max(worst, Math.abs(foldedW[i]! - w[i]! * s));
      }
      expect(worst, conv).toBeLessThan(1e-6);
    }
  });

  it('reads half-precision weights as well', () => {
    const name = 'layer1.0.conv2.weight';
    // Multiples of 1/1024 below 1 are exact in half precision: mantissa (v / 2^e - 1) * 1024 is whole.
    const values = tensor(name).map((v) => Math.round(v * 1024) / 1024);
    const toHalf = (v: number) => {
      if (v === 0) return 0;
      const e = Math.floor(Math.log2(Math.abs(v)));
      return (v < 0 ? 0x8000 : 0) | ((e + 15) << 10) | ((Math.abs(v) / 2 ** e - 1) * 1024);
    };
    const half = Uint16Array.from(values, toHalf);
    const bytes = withTensor(name, { name, dtype: 'F16', shape: [64, 64, 3, 3], data: half });
    const halfModel = onnx.ModelProto.decode(convertTimmResnet50(bytes, 'half.safetensors').onnx);
    const raw = halfModel.graph!.initializer!.find((i) => i.name === 'layer1.0.conv2.weight')!.rawData!;
    const got = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    const gamma = tensor('layer1.0.bn2.weight');
    const variance = tensor('layer1.0.bn2.running_var');
    for (const i of [0, 1, 575, 576 * 63 + 5]) {
      const o = Math.floor(i / 576);
      expect(got[i]).toBeCloseTo(values[i]! * (gamma[o]! / Math.sqrt(variance[o]! + 1e-5)), 6);
    }
  });
});

describe('files the converter refuses, naming the tensor', () => {
  it('a missing tensor', () => {
    expect(() =>
      convertTimmResnet50(withTensor('layer3.2.bn2.running_var', null), 'cut.safetensors'),
    ).toThrow(
      /cut\.safetensors is not timm's ResNet-50 .*the tensor "layer3\.2\.bn2\.running_var" is missing/,
    );
  });

  it('a tensor of the wrong shape', () => {
    const name = 'layer1.0.conv2.weight';
    const wrong = { name, dtype: 'F32' as const, shape: [64, 64, 1, 1], data: new Float32Array(64 * 64) };
    expect(() => convertTimmResnet50(withTensor(name, wrong), 'odd.safetensors')).toThrow(
      /the tensor "layer1\.0\.conv2\.weight" has shape \[64, 64, 1, 1\], expected \[64, 64, 3, 3\]/,
    );
  });

  it('a tensor holding a value that is not a number', () => {
    const name = 'layer2.1.bn1.weight';
    const data = new Float32Array(tensor(name));
    data[3] = Number.NaN;
    expect(() =>
      convertTimmResnet50(withTensor(name, { name, dtype: 'F32', shape: [128], data }), 'nan.safetensors'),
    ).toThrow(
      /nan\.safetensors: the tensor "layer2\.1\.bn1\.weight" holds a value that is not a finite number/,
    );
  });

  it('another network, listing the first problems and how many more', () => {
    const other = encodeSafetensors([
      { name: 'embeddings.weight', dtype: 'F32', shape: [4], data: new Float32Array(4) },
    ]);
    expect(() => convertTimmResnet50(other, 'bert.safetensors')).toThrow(
      /the tensor "conv1\.weight" is missing; the tensor "bn1\.weight" is missing; .*\(and 262 more\)/,
    );
  });

  it('a file that is not safetensors at all', () => {
    expect(() => convertTimmResnet50(Buffer.from('not a model'), 'notes.safetensors')).toThrow(
      /notes\.safetensors is not a safetensors file: its header claims \d+ bytes/,
    );
    const badJson = Buffer.alloc(16);
    badJson.writeBigUInt64LE(8n, 0);
    badJson.write('{"a": [', 8);
    expect(() => convertTimmResnet50(badJson, 'bad.safetensors')).toThrow(/its header is not JSON/);
  });
});
