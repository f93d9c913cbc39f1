// Getting ResNet-50 from timm's weights: importing a .safetensors, the files an import refuses
// at once (devices, pipes, wrong types, too large), the Hugging Face cache, and cancelling.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededTimmResnet50 } from '../../scripts/models/seeded-timm-resnet50';
import { findHuggingFaceCopy, huggingFaceHubDir } from '../../src/main/core/embed/huggingface-cache';
import { loadManifest, type ModelManifest } from '../../src/main/core/embed/manifest';
import { readModelSource, readWithStallLimit } from '../../src/main/core/embed/model-files';
import { DownloadCancelled, downloadModel, importModel } from '../../src/main/core/embed/model-manager';
import { readOnnxMetadata } from '../../src/main/core/embed/onnx-graph';
import { type FileServer, serveFile } from './file-server';
import { makeTempDir } from './helpers';

const tmp = makeTempDir();
const real = loadManifest('resources/models/resnet50.json');
let weights: Buffer;
let weightsSha: string;
let weightsFile: string;
let server: FileServer;
/** The real manifest, pointed at the seeded weights served here. */
let manifest: ModelManifest;

beforeAll(async () => {
  weights = seededTimmResnet50(2);
  weightsSha = createHash('sha256').update(weights).digest('hex');
  weightsFile = path.join(tmp.dir, 'model.safetensors');
  writeFileSync(weightsFile, weights);
  server = await serveFile(weights);
  if (real.source.kind !== 'download') throw new Error('the ResNet-50 manifest must have a download');
  manifest = {
    ...real,
    source: { ...real.source, url: server.url(), sha256: weightsSha, size: weights.length },
  };
});

afterAll(async () => {
  await server.close();
  tmp.remove();
});

const folder = (name: string) => {
  const dir = path.join(tmp.dir, name);
  mkdirSync(dir, { recursive: true });
  return dir;
};

describe('importing timm weights', () => {
  it('converts a .safetensors with the published SHA-256 into the model file', async () => {
    const models = folder('import-ok');
    const file = await importModel(manifest, weightsFile, models);
    expect(file).toBe(path.join(models, 'resnet50.onnx'));
    expect(readOnnxMetadata(readFileSync(file))).toMatchObject({ 'komorebi.weights_sha256': weightsSha });
    expect(readdirSync(models)).toEqual(['resnet50.onnx']);
  });

  it('refuses other weights than the published ones, with both checksums', async () => {
    await expect(importModel(real, weightsFile, folder('import-other'))).rejects.toThrow(
      new RegExp(
        `model\\.safetensors is not the published "ResNet-50 \\(timm, ImageNet\\)" \\(SHA-256 ${weightsSha}, expected 773525d5`,
      ),
    );
  });
});

describe('what an import refuses at once', () => {
  it('a path without a model file ending, such as /dev/zero', async () => {
    await expect(importModel(manifest, '/dev/zero', folder('zero'))).rejects.toThrow(
      '/dev/zero is not a model file: choose a file ending in .onnx or .safetensors.',
    );
  });

  it('a device behind a model file name', { timeout: 10_000 }, async () => {
    const link = path.join(tmp.dir, 'zero.onnx');
    symlinkSync('/dev/zero', link);
    await expect(importModel(manifest, link, folder('device'))).rejects.toThrow(
      /zero\.onnx is not a regular file \(it is a device\); choose the model file itself/,
    );
  });

  it('a FIFO, without waiting for a writer', { timeout: 10_000 }, async () => {
    const fifo = path.join(tmp.dir, 'pipe.safetensors');
    execFileSync('mkfifo', [fifo]);
    await expect(importModel(manifest, fifo, folder('fifo'))).rejects.toThrow(
      /pipe\.safetensors is not a regular file \(it is a pipe \(FIFO\)\)/,
    );
  });

  it('a folder, a missing file, and a file over the size limit', async () => {
    const dir = folder('looks-like.onnx');
    await expect(importModel(manifest, dir, folder('dir'))).rejects.toThrow(
      /is not a regular file \(it is a folder\)/,
    );
    await expect(importModel(manifest, path.join(tmp.dir, 'gone.onnx'), folder('gone'))).rejects.toThrow(
      /The model file .*gone\.onnx does not exist/,
    );
    await expect(
      readModelSource(weightsFile, { extensions: ['.safetensors'], maxBytes: 50e6 }),
    ).rejects.toThrow(/model\.safetensors is 102 MB, more than the 50 MB a model file may have here/);
  });

  it('a read that stops making progress, as on a network drive that went away', async () => {
    // A stalled drive cannot be made here: a file handle whose read never answers stands in for it.
    const stalled = { read: () => new Promise(() => {}) } as unknown as FileHandle;
    await expect(readWithStallLimit(stalled, '/mnt/nas/model.onnx', 1000, 1000)).rejects.toThrow(
      'Reading /mnt/nas/model.onnx made no progress for 1 s; is its drive still there?',
    );
  });

  it('a .safetensors for a model that is not published as timm weights', async () => {
    const offline = loadManifest('resources/models/mobilenet-v2-offline.json');
    await expect(importModel(offline, weightsFile, folder('offline'))).rejects.toThrow(
      /choose a file ending in \.onnx\.$/,
    );
  });
});

describe('the Hugging Face cache', () => {
  const snapshot = (hub: string, blob: Buffer) => {
    const repo = path.join(hub, 'models--timm--resnet50.a1_in1k');
    const sha = createHash('sha256').update(blob).digest('hex');
    mkdirSync(path.join(repo, 'blobs'), { recursive: true });
    mkdirSync(path.join(repo, 'snapshots', '93271f4677dbf7b4d7f7e7d9d7811bd66c327e56'), { recursive: true });
    writeFileSync(path.join(repo, 'blobs', sha), blob);
    const link = path.join(
      repo,
      'snapshots',
      '93271f4677dbf7b4d7f7e7d9d7811bd66c327e56',
      'model.safetensors',
    );
    symlinkSync(`../../blobs/${sha}`, link);
    return link;
  };

  it('is where huggingface_hub puts it', () => {
    expect(huggingFaceHubDir({ HF_HUB_CACHE: '/c/hub', HF_HOME: '/h' }, '/home/u')).toBe('/c/hub');
    expect(huggingFaceHubDir({ HF_HOME: '/h' }, '/home/u')).toBe('/h/hub');
    expect(huggingFaceHubDir({ XDG_CACHE_HOME: '/x' }, '/home/u')).toBe('/x/huggingface/hub');
    expect(huggingFaceHubDir({}, '/home/u')).toBe('/home/u/.cache/huggingface/hub');
  });

  it('offers a cached copy whose SHA-256 matches, and not one that differs', async () => {
    const hub = folder('hub');
    expect(await findHuggingFaceCopy(manifest, hub)).toBeNull();
    const link = snapshot(hub, weights);
    expect(await findHuggingFaceCopy(manifest, hub)).toBe(link);
    const damaged = Buffer.from(weights);
    damaged[damaged.length - 1]! ^= 1;
    const damagedHub = folder('hub-damaged');
    snapshot(damagedHub, damaged);
    expect(await findHuggingFaceCopy(manifest, damagedHub)).toBeNull();
  });
});

describe('cancelling', () => {
  it('while downloading leaves nothing behind', async () => {
    const models = folder('cancel-download');
    const control = new AbortController();
    server.stallNextAfter(1 << 20);
    const download = downloadModel(manifest, models, {
      signal: control.signal,
      onProgress: (p) => {
        if (p.receivedBytes >= 1 << 20) control.abort();
      },
    });
    await expect(download).rejects.toBeInstanceOf(DownloadCancelled);
    await expect(download).rejects.toThrow(/cancelled; nothing was kept/);
    expect(readdirSync(models)).toEqual([]);
  });

  it('while converting leaves nothing behind either', async () => {
    const models = folder('cancel-convert');
    const control = new AbortController();
    const download = downloadModel(manifest, models, {
      signal: control.signal,
      onStep: (step) => step === 'converting' && control.abort(),
    });
    await expect(download).rejects.toBeInstanceOf(DownloadCancelled);
    expect(readdirSync(models)).toEqual([]);
  });
});
