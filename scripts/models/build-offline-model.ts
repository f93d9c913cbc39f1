// Builds resources/models/mobilenet-v2-offline.onnx from the Keras MobileNetV2 weights that the
// npm package nsfwjs ships (TF.js layers format). The result is the 1280-d globally pooled feature
// of MobileNetV2: a real, offline image embedding that needs no download (docs/decisions/0002).
//
//   npx tsx scripts/models/build-offline-model.ts [outPath]
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { OnnxGraphBuilder, readOnnxMetadata } from '../../src/main/core/embed/onnx-graph';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_OFFLINE_MODEL_PATH = path.resolve(
  here,
  '../../resources/models/mobilenet-v2-offline.onnx',
);

/** Bump when the conversion changes so existing outputs are rebuilt. */
const CONVERTER_VERSION = '1';
/** The last layer kept: its output is the pooled 1280-d feature (the classifier head is dropped). */
const FEATURE_LAYER = 'flatten_1';

interface KerasLayer {
  name: string;
  class_name: string;
  config: Record<string, unknown>;
  inbound_nodes: [string, number, number, unknown][][];
}
interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { min: number; scale: number; dtype: string };
}
export interface TfjsLayersModel {
  modelTopology: { model_config: { config: { layers: KerasLayer[] } } };
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
}

/** Where nsfwjs keeps the MobileNetV2 files (model.min.js = model.json, shards = base64 weights). */
export function nsfwjsMobilenetDir(): string {
  // nsfwjs exports no package.json; its CommonJS entry is dist/cjs/index.js.
  return path.resolve(path.dirname(require.resolve('nsfwjs')), '../models/mobilenet_v2');
}

/** Loads the TF.js model.json and the raw (still quantized) weight bytes from nsfwjs. */
export function loadNsfwjsMobilenet(dir = nsfwjsMobilenetDir()): {
  model: TfjsLayersModel;
  weightData: Buffer;
} {
  const model = require(path.join(dir, 'model.min.js')) as TfjsLayersModel;
  const shards: Buffer[] = [];
  for (const group of model.weightsManifest) {
    for (const p of group.paths) {
      const b64 = require(path.join(dir, `${p}.min.js`)) as string;
      shards.push(Buffer.from(b64, 'base64'));
    }
  }
  return { model, weightData: Buffer.concat(shards) };
}

/** Dequantizes every weight the way TF.js does (uint8/uint16: min + scale * q; float16 unsupported). */
function readWeights(
  model: TfjsLayersModel,
  data: Buffer,
): Map<string, { shape: number[]; values: Float32Array }> {
  const out = new Map<string, { shape: number[]; values: Float32Array }>();
  let offset = 0;
  for (const spec of model.weightsManifest.flatMap((g) => g.weights)) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(count);
    const q = spec.quantization;
    if (!q) {
      values.set(
        new Float32Array(data.buffer.slice(data.byteOffset + offset, data.byteOffset + offset + count * 4)),
      );
      offset += count * 4;
    } else if (q.dtype === 'uint8') {
      for (let i = 0; i < count; i++) values[i] = q.min + q.scale * data[offset + i]!;
      offset += count;
    } else if (q.dtype === 'uint16') {
      for (let i = 0; i < count; i++) values[i] = q.min + q.scale * data.readUInt16LE(offset + 2 * i);
      offset += count * 2;
    } else {
      throw new Error(`Weight ${spec.name} uses ${q.dtype} quantization, which the converter does not read.`);
    }
    out.set(spec.name, { shape: spec.shape, values });
  }
  if (offset !== data.length) throw new Error(`Weight bytes mismatch: read ${offset} of ${data.length}.`);
  return out;
}

interface Tensor4 {
  name: string;
  channels: number;
  height: number;
  width: number;
  /** Zero padding still to be applied (top, left, bottom, right), folded into the next convolution. */
  pad: [number, number, number, number];
}

/** Keras [kh, kw, in, out] -> ONNX [out, in, kh, kw]; depthwise [kh, kw, in, 1] -> [in, 1, kh, kw]. */
function kernelToOnnx(
  shape: number[],
  v: Float32Array,
  depthwise: boolean,
): { dims: number[]; data: Float32Array } {
  const [kh, kw, cin, cout] = shape as [number, number, number, number];
  const outC = depthwise ? cin * cout : cout;
  const inC = depthwise ? 1 : cin;
  const data = new Float32Array(v.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < cin; i++)
        for (let o = 0; o < cout; o++) {
          const src = ((y * kw + x) * cin + i) * cout + o;
          const oc = depthwise ? i * cout + o : o;
          const ic = depthwise ? 0 : i;
          data[((oc * inC + ic) * kh + y) * kw + x] = v[src]!;
        }
  return { dims: [outC, inC, kh, kw], data };
}

/** TF 'same' padding: the extra pixel goes to the end (bottom/right), as ONNX SAME_UPPER. */
function samePad(size: number, k: number, s: number): [number, number, number] {
  const out = Math.ceil(size / s);
  const total = Math.max((out - 1) * s + k - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2), out];
}

export function convertMobilenetToOnnx(
  model: TfjsLayersModel,
  weightData: Buffer,
  stamp: string,
): Uint8Array {
  const weights = readWeights(model, weightData);
  const w = (n: string) => {
    const t = weights.get(n);
    if (!t) throw new Error(`Missing weight ${n} in the nsfwjs model.`);
    return t;
  };
  const g = new OnnxGraphBuilder();
  const tensors = new Map<string, Tensor4>();
  const clipMin = g.addFloat('relu6_min', [], new Float32Array([0]));
  const clipMax = g.addFloat('relu6_max', [], new Float32Array([6]));
  const input = (layer: KerasLayer, i = 0): Tensor4 => {
    const src = layer.inbound_nodes[0]?.[i]?.[0];
    const t = src ? tensors.get(src) : undefined;
    if (!t) throw new Error(`Layer ${layer.name} has an input the converter has not seen.`);
    return t;
  };
  const materialise = (t: Tensor4): string => {
    if (t.pad.every((p) => p === 0)) return t.name;
    throw new Error(`Zero padding before a non-convolution layer (${t.name}) is not supported.`);
  };
  let last: Tensor4 | undefined;

  for (const layer of model.modelTopology.model_config.config.layers) {
    const c = layer.config;
    let out: Tensor4;
    switch (layer.class_name) {
      case 'InputLayer': {
        const [, h, wd, ch] = c.batch_input_shape as number[];
        out = { name: 'pixels', channels: ch!, height: h!, width: wd!, pad: [0, 0, 0, 0] };
        g.fresh('pixels');
        break;
      }
      case 'ZeroPadding2D': {
        const x = input(layer);
        const [[t, b], [l, r]] = c.padding as [[number, number], [number, number]];
        out = {
          ...x,
          height: x.height + t + b,
          width: x.width + l + r,
          pad: [x.pad[0] + t, x.pad[1] + l, x.pad[2] + b, x.pad[3] + r],
        };
        break;
      }
      case 'Conv2D':
      case 'DepthwiseConv2D': {
        const x = input(layer);
        const depthwise = layer.class_name === 'DepthwiseConv2D';
        const kw = w(`${layer.name}/${depthwise ? 'depthwise_kernel' : 'kernel'}`);
        const [kh, kwid] = kw.shape as [number, number];
        const [sh, sw] = c.strides as [number, number];
        if ((c.dilation_rate as number[]).some((d) => d !== 1))
          throw new Error(`${layer.name}: dilation unsupported`);
        let pads = [...x.pad];
        let oh: number;
        let ow: number;
        if (c.padding === 'same') {
          const [pt, pb, h2] = samePad(x.height, kh, sh);
          const [pl, pr, w2] = samePad(x.width, kwid, sw);
          pads = [x.pad[0] + pt, x.pad[1] + pl, x.pad[2] + pb, x.pad[3] + pr];
          oh = h2;
          ow = w2;
        } else {
          oh = Math.floor((x.height - kh) / sh) + 1;
          ow = Math.floor((x.width - kwid) / sw) + 1;
        }
        const k = kernelToOnnx(kw.shape, kw.values, depthwise);
        const inputs = [x.name, g.addFloat(`${layer.name}.weight`, k.dims, k.data)];
        if (c.use_bias)
          inputs.push(g.addFloat(`${layer.name}.bias`, [k.dims[0]!], w(`${layer.name}/bias`).values));
        if (c.activation !== 'linear')
          throw new Error(`${layer.name}: fused activation ${c.activation} unsupported`);
        const name = g.node('Conv', inputs, layer.name, {
          kernel_shape: [kh, kwid],
          strides: [sh, sw],
          pads: [pads[0]!, pads[1]!, pads[2]!, pads[3]!],
          group: depthwise ? x.channels : 1,
        });
        out = { name, channels: k.dims[0]!, height: oh, width: ow, pad: [0, 0, 0, 0] };
        break;
      }
      case 'BatchNormalization': {
        const x = input(layer);
        const p = (n: string) =>
          g.addFloat(`${layer.name}.${n}`, [x.channels], w(`${layer.name}/${n}`).values);
        const ins = [materialise(x), p('gamma'), p('beta'), p('moving_mean'), p('moving_variance')];
        const name = g.node('BatchNormalization', ins, layer.name, { epsilon: c.epsilon as number });
        out = { ...x, name };
        break;
      }
      case 'ReLU': {
        const x = input(layer);
        if (c.max_value !== 6 || c.negative_slope !== 0 || c.threshold !== 0) {
          throw new Error(`${layer.name}: only ReLU6 is supported`);
        }
        out = { ...x, name: g.node('Clip', [materialise(x), clipMin, clipMax], layer.name) };
        break;
      }
      case 'Add': {
        const a = input(layer, 0);
        const b = input(layer, 1);
        out = { ...a, name: g.node('Add', [materialise(a), materialise(b)], layer.name) };
        break;
      }
      case 'AveragePooling2D': {
        const x = input(layer);
        const [ph, pw] = c.pool_size as [number, number];
        // The Keras model pools its 7x7 map with a 7x7 window: a global average.
        if (ph !== x.height || pw !== x.width)
          throw new Error(`${layer.name}: only global pooling supported`);
        out = { ...x, name: g.node('GlobalAveragePool', [materialise(x)], layer.name), height: 1, width: 1 };
        break;
      }
      case 'Flatten': {
        const x = input(layer);
        out = { ...x, name: g.node('Flatten', [materialise(x)], layer.name, { axis: 1 }) };
        break;
      }
      default:
        throw new Error(`Layer ${layer.name} (${layer.class_name}) is not supported by the converter.`);
    }
    tensors.set(layer.name, out);
    last = out;
    if (layer.name === FEATURE_LAYER) break;
  }
  if (last?.channels !== 1280) throw new Error('The nsfwjs MobileNetV2 did not end in a 1280-d feature.');
  g.renameLastOutput('embedding');
  return g.encode({
    graphName: 'mobilenet_v2_features',
    producer: 'komorebi build-offline-model',
    input: { name: 'pixels', shape: ['batch', 3, 224, 224] },
    output: { name: 'embedding', shape: ['batch', 1280] },
    metadata: { 'komorebi.source': 'nsfwjs mobilenet_v2 (Keras)', 'komorebi.stamp': stamp },
  });
}

/** What the output depends on: the converter version and the exact source bytes. */
function sourceStamp(model: TfjsLayersModel, weightData: Buffer): string {
  const h = createHash('sha256');
  h.update(CONVERTER_VERSION);
  h.update(JSON.stringify(model));
  h.update(weightData);
  return h.digest('hex');
}

/**
 * Writes the offline model to `outPath` unless an up-to-date copy is already there.
 * Returns the path and whether it was (re)built.
 */
export function buildOfflineModel(outPath = DEFAULT_OFFLINE_MODEL_PATH): { path: string; built: boolean } {
  const { model, weightData } = loadNsfwjsMobilenet();
  const stamp = sourceStamp(model, weightData);
  if (existsSync(outPath)) {
    try {
      if (readOnnxMetadata(readFileSync(outPath))['komorebi.stamp'] === stamp)
        return { path: outPath, built: false };
    } catch {
      // unreadable or truncated: rebuild below
    }
  }
  const bytes = convertMobilenetToOnnx(model, weightData, stamp);
  mkdirSync(path.dirname(outPath), { recursive: true });
  // Write then rename, so a concurrent reader never sees half a model.
  const tmp = `${outPath}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, outPath);
  return { path: outPath, built: true };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = buildOfflineModel(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  console.log(`${r.built ? 'Built' : 'Up to date'}: ${r.path}`);
}
