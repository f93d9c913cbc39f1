// The offline model converted to ONNX must compute what the original TF.js (Keras) MobileNetV2
// from nsfwjs computes: the globally pooled 1280-d feature, on the same input tensor.
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOfflineModel, loadNsfwjsMobilenet } from '../../scripts/models/build-offline-model';
import { loadManifest } from '../../src/main/core/embed/manifest';
import { createOrtSession } from '../../src/main/core/embed/onnx';
import { preprocessImage } from '../../src/main/core/embed/preprocess';
import { cosine, drawScene, makeTempDir } from './helpers';

const manifest = loadManifest('resources/models/mobilenet-v2-offline.json');
const tmp = makeTempDir();
afterAll(() => tmp.remove());

async function tfjsFeatures(nhwc: Float32Array): Promise<Float32Array> {
  const { model, weightData } = loadNsfwjsMobilenet();
  const weights = weightData.buffer.slice(
    weightData.byteOffset,
    weightData.byteOffset + weightData.byteLength,
  );
  const keras = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: model.modelTopology as unknown as tf.io.ModelJSON['modelTopology'],
      weightSpecs: model.weightsManifest.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[],
      weightData: weights,
    }),
  );
  const pooled = tf.model({
    inputs: keras.inputs,
    outputs: keras.getLayer('flatten_1').output as tf.SymbolicTensor,
  });
  const out = pooled.predict(tf.tensor4d(nhwc, [1, 224, 224, 3])) as tf.Tensor;
  return out.dataSync() as Float32Array;
}

function nchwToNhwc(t: Float32Array, s = 224): Float32Array {
  const out = new Float32Array(t.length);
  const p = s * s;
  for (let i = 0; i < p; i++) for (let c = 0; c < 3; c++) out[i * 3 + c] = t[c * p + i]!;
  return out;
}

describe('offline MobileNetV2 model', () => {
  let modelPath: string;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    modelPath = buildOfflineModel(path.join(tmp.dir, 'mobilenet-v2-offline.onnx')).path;
  });

  it('is rebuilt only when missing or out of date', () => {
    expect(buildOfflineModel(modelPath).built).toBe(false);
  });

  it('gives the same pooled features as the TF.js original', async () => {
    const session = await createOrtSession(modelPath, { intraOpThreads: 1 });
    try {
      for (const seed of [11, 12]) {
        const nchw = await preprocessImage(await drawScene(seed, 320, 240), manifest);
        const out = await session.run({ pixels: new ort.Tensor('float32', nchw, [1, 3, 224, 224]) });
        const onnx = out.embedding!.data as Float32Array;
        const reference = await tfjsFeatures(nchwToNhwc(nchw));
        expect(onnx.length).toBe(1280);
        let maxDiff = 0;
        let maxAbs = 0;
        for (let i = 0; i < 1280; i++) {
          maxDiff = Math.max(maxDiff, Math.abs(onnx[i]! - reference[i]!));
          maxAbs = Math.max(maxAbs, Math.abs(reference[i]!));
        }
        expect(maxAbs).toBeGreaterThan(0.1); // a real, non-degenerate feature
        expect(maxDiff).toBeLessThan(1e-3 * maxAbs);
        expect(cosine(onnx, reference)).toBeGreaterThan(0.99999);
      }
    } finally {
      await session.release();
    }
  });
});
