// Model manifests and the project's model-building scripts.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSeededResnet50 } from '../../scripts/models/make-seeded-resnet50';
import {
  defaultManifestDir,
  findManifest,
  findModelFile,
  listModels,
  parseManifest,
} from '../../src/main/core/embed/manifest';
import { makeTempDir } from './helpers';

const tmp = makeTempDir();
afterAll(() => tmp.remove());
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('model manifests', () => {
  it('lists the bundled models users can pick, ResNet-50 with timm preprocessing among them', () => {
    const models = listModels();
    expect(models.map((m) => m.id)).toEqual(['mobilenet-v2-offline', 'resnet50-a1-in1k']);
    const resnet = findManifest('resnet50-a1-in1k');
    expect(resnet.recommended).toBe(true);
    expect(resnet.input).toMatchObject({ size: 224, layout: 'nchw', channelOrder: 'rgb' });
    // timm's defaults, as the original workflow resolves them (docs/decisions/0015).
    expect(resnet.preprocess).toMatchObject({ cropPct: 0.875, interpolation: 'bicubic' });
    expect(resnet.source).toMatchObject({
      kind: 'download',
      url: 'https://huggingface.co/timm/resnet50.a1_in1k/resolve/93271f4677dbf7b4d7f7e7d9d7811bd66c327e56/model.safetensors',
      sha256: '773525d5821de224f8f30c33377b7a795d7863e08522698200d3217d3f2a41bb',
      size: 102_469_840,
      format: 'timm-resnet50-safetensors',
    });
    expect(resnet.output).toEqual({ dim: 2048, l2Normalize: true });
    expect(listModels(defaultManifestDir(), { includeBenchmarkOnly: true }).map((m) => m.id)).toContain(
      'resnet50-seeded',
    );
  });

  it('explains what is wrong with a bad manifest', () => {
    expect(() => parseManifest({ id: 'Bad Id', fileName: 'x.bin' }, 'custom.json')).toThrow(
      /custom\.json is invalid \(id: .*fileName: /,
    );
  });

  it('finds a model file in the first folder that has it', () => {
    const user = path.join(tmp.dir, 'user');
    const bundled = path.join(tmp.dir, 'bundled');
    mkdirSync(user);
    mkdirSync(bundled);
    const offline = findManifest('mobilenet-v2-offline');
    expect(findModelFile(offline, [user, bundled])).toBeUndefined();
    writeFileSync(path.join(bundled, offline.fileName), '');
    expect(findModelFile(offline, [user, bundled])).toBe(path.join(bundled, offline.fileName));
    writeFileSync(path.join(user, offline.fileName), '');
    expect(findModelFile(offline, [user, bundled])).toBe(path.join(user, offline.fileName));
  });
});

describe('seeded ResNet-50 for benchmarks', () => {
  it('has ResNet-50 v1.5 conv structure and is byte-identical per seed', () => {
    const a = buildSeededResnet50(5);
    expect(a.stats.convs).toBe(53);
    expect(a.stats.convWeights).toBe(23_454_912);
    const again = sha(buildSeededResnet50(5).bytes);
    expect(again).toBe(sha(a.bytes));
    expect(sha(buildSeededResnet50(6).bytes)).not.toBe(again);
  });
});
