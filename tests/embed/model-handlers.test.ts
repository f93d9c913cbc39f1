// Settings > Models through the Api, as the window uses it: the first-run suggestion, the copy
// found in the Hugging Face cache installed in one click, a download cancelled midway, an import
// that makes the model active. (The full download and the parity: resnet50-parity.test.ts.)
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildOfflineModel } from '../../scripts/models/build-offline-model';
import { seededTimmResnet50 } from '../../scripts/models/seeded-timm-resnet50';
import { type Core, createCore } from '../../src/main/core/app';
import { loadManifest } from '../../src/main/core/embed/manifest';
import { RecordingNotifier, tempDir } from '../helpers/temp';
import { type FileServer, serveFile } from './file-server';

const resnet = loadManifest('resources/models/resnet50.json');
const OFFLINE = 'mobilenet-v2-offline';
const tmp = tempDir('komorebi-model-api-');
let server: FileServer;
let weights: Buffer;
let weightsFile: string;
let manifests: string;
let offlineDir: string;
const cores: Core[] = [];

beforeAll(async () => {
  weights = seededTimmResnet50(3);
  weightsFile = path.join(tmp.dir, 'model.safetensors');
  writeFileSync(weightsFile, weights);
  server = await serveFile(weights);
  manifests = path.join(tmp.dir, 'manifests');
  mkdirSync(manifests);
  copyFileSync('resources/models/mobilenet-v2-offline.json', path.join(manifests, `${OFFLINE}.json`));
  if (resnet.source.kind !== 'download') throw new Error('the ResNet-50 manifest must have a download');
  const sha256 = createHash('sha256').update(weights).digest('hex');
  const source = { ...resnet.source, url: server.url(), sha256, size: weights.length };
  writeFileSync(path.join(manifests, 'resnet50.json'), JSON.stringify({ ...resnet, source }));
  offlineDir = path.dirname(buildOfflineModel().path);
});

afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
});

afterAll(async () => {
  await server.close();
  tmp.cleanup();
});

async function open(name: string, hub = path.join(tmp.dir, 'no-hub')) {
  const notifier = new RecordingNotifier();
  const dataDir = path.join(tmp.dir, name);
  const core = await createCore({
    dataDir,
    shell: 'test',
    notifier,
    autoStart: false,
    manifestDir: manifests,
    modelDirs: [offlineDir],
    huggingFaceHub: hub,
  });
  cores.push(core);
  const active = async () => (await core.handlers['models:list']({})).models.find((m) => m.active)?.id;
  const finished = async () => {
    const end = Date.now() + 240_000;
    while (!notifier.of('models:download').some((e) => e.done)) {
      if (Date.now() > end) throw new Error('no outcome of the download');
      await new Promise((r) => setTimeout(r, 50));
    }
    return notifier.of('models:download').at(-1)!;
  };
  return { core, notifier, models: path.join(dataDir, 'models'), active, finished };
}

describe('Settings > Models through the Api', () => {
  it('installs the copy in the Hugging Face cache in one click, without a download, and leaves the cache alone', {
    timeout: 300_000,
  }, async () => {
    const hub = path.join(tmp.dir, 'hub');
    const snapshot = path.join(hub, 'models--timm--resnet50.a1_in1k', 'snapshots', 'abc123');
    mkdirSync(snapshot, { recursive: true });
    symlinkSync(weightsFile, path.join(snapshot, 'model.safetensors'));
    const { core, models, active, finished } = await open('hf', hub);
    const listed = (await core.handlers['models:list']({})).models.find((m) => m.id === resnet.id)!;
    expect(listed.localCopy).toBe(path.join(snapshot, 'model.safetensors'));

    server.requests.length = 0;
    expect(await core.handlers['models:download']({ id: resnet.id })).toEqual({
      started: true,
      from: 'local-copy',
    });
    const end = await finished();
    expect(end, end.error ?? '').toMatchObject({ step: 'ready', error: null });
    expect(server.requests).toEqual([]);
    expect(await active()).toBe(resnet.id);
    expect(readdirSync(models)).toEqual(['resnet50.onnx']);
    expect(existsSync(weightsFile)).toBe(true);
    const after = (await core.handlers['models:list']({})).models.find((m) => m.id === resnet.id)!;
    expect(after).toMatchObject({ available: true, localCopy: null, download: { step: 'ready' } });
  });

  it('cancels a download midway: nothing is left and the offline model stays in use', {
    timeout: 120_000,
  }, async () => {
    const { core, notifier, models, active, finished } = await open('cancel');
    expect(await core.handlers['models:cancel-download']({ id: resnet.id })).toEqual({ cancelled: false });
    server.stallNextAfter(1 << 20);
    await core.handlers['models:download']({ id: resnet.id });
    expect(await core.handlers['models:download']({ id: resnet.id })).toEqual({
      started: false,
      from: 'download',
    });
    while (!existsSync(path.join(models, 'resnet50-a1-in1k.safetensors.part'))) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await core.handlers['models:cancel-download']({ id: resnet.id })).toEqual({ cancelled: true });
    const end = await finished();
    expect(end).toMatchObject({ step: 'cancelled', done: true });
    expect(end.error).toMatch(
      /The download of "ResNet-50 \(timm, ImageNet\)" was cancelled; nothing was kept/,
    );
    expect(notifier.of('models:download')[0]).toMatchObject({ step: 'downloading', total: weights.length });
    expect(readdirSync(models)).toEqual([]);
    expect(await active()).toBe(OFFLINE);
  });

  it('suggests ResNet-50 until the suggestion is dismissed, for good; an import makes the model active', {
    timeout: 300_000,
  }, async () => {
    const first = await open('suggest');
    expect((await first.core.handlers['models:list']({})).suggestRecommended).toBe(true);
    expect(await first.core.handlers['models:dismiss-notice']({})).toEqual({ ok: true });
    expect((await first.core.handlers['models:list']({})).suggestRecommended).toBe(false);
    await first.core.close();
    cores.length = 0;

    const again = await open('suggest');
    expect((await again.core.handlers['models:list']({})).suggestRecommended).toBe(false);
    expect(await again.active()).toBe(OFFLINE);
    const { models } = await again.core.handlers['models:import']({ id: resnet.id, path: weightsFile });
    expect(models.find((m) => m.active)?.id).toBe(resnet.id);
  });

  it('says a built-in model cannot be downloaded', async () => {
    const { core } = await open('built-in');
    await expect(core.handlers['models:download']({ id: OFFLINE })).rejects.toThrow(
      /"MobileNetV2 \(offline, built in\)" cannot be downloaded: it is built into Komorebi\./,
    );
  });
});
