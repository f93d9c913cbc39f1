// Downloading and importing model files, against a real HTTP server on 127.0.0.1 that supports
// Range requests and can drop a connection halfway (file-server.ts).
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOfflineModel } from '../../scripts/models/build-offline-model';
import { makeSeededResnet50 } from '../../scripts/models/make-seeded-resnet50';
import { loadManifest, type ModelManifest } from '../../src/main/core/embed/manifest';
import {
  type DownloadProgress,
  downloadModel,
  importModel,
  sha256File,
} from '../../src/main/core/embed/model-manager';
import { OnnxGraphBuilder } from '../../src/main/core/embed/onnx-graph';
import { type FileServer, serveFile } from './file-server';
import { makeTempDir } from './helpers';

const offline = loadManifest('resources/models/mobilenet-v2-offline.json');
const resnet = loadManifest('resources/models/resnet50.json');
const tmp = makeTempDir();
const payload = randomBytes(3 * 1024 * 1024 + 123);
const payloadSha = createHash('sha256').update(payload).digest('hex');

let server: FileServer;

beforeAll(async () => {
  server = await serveFile(payload);
});

afterAll(async () => {
  await server.close();
  tmp.remove();
});

function downloadable(urlPath: string, sha256 = payloadSha): ModelManifest {
  return {
    ...offline,
    id: 'test-download',
    fileName: 'test-download.onnx',
    source: { kind: 'download', url: server.url(urlPath), sha256, format: 'onnx' },
  };
}

describe('downloadModel', () => {
  it('downloads with progress and checks the SHA-256', async () => {
    const dir = path.join(tmp.dir, 'plain');
    const progress: DownloadProgress[] = [];
    const file = await downloadModel(downloadable('/plain/model.onnx'), dir, {
      onProgress: (p) => progress.push(p),
    });
    expect(readFileSync(file).equals(payload)).toBe(true);
    expect(existsSync(`${file}.part`)).toBe(false);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toEqual({ receivedBytes: payload.length, totalBytes: payload.length });
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i]!.receivedBytes).toBeGreaterThanOrEqual(progress[i - 1]!.receivedBytes);
    }
  });

  it('keeps the bytes of a dropped download and resumes them with a Range request', async () => {
    const dir = path.join(tmp.dir, 'resume');
    const manifest = downloadable('/drop-next/model.onnx');
    server.dropNext();
    await expect(downloadModel(manifest, dir, { retries: 0 })).rejects.toThrow(
      /stopped after \d+ bytes.*again/,
    );
    const part = path.join(dir, 'test-download.onnx.part');
    const kept = statSync(part).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(payload.length);

    server.requests.length = 0;
    const progress: DownloadProgress[] = [];
    const file = await downloadModel(manifest, dir, { retries: 0, onProgress: (p) => progress.push(p) });
    expect(server.requests).toEqual([{ url: '/drop-next/model.onnx', range: `bytes=${kept}-` }]);
    expect(progress[0]).toEqual({ receivedBytes: kept, totalBytes: payload.length });
    expect(await sha256File(file)).toBe(payloadSha);
    expect(existsSync(part)).toBe(false);
  });

  it('resumes by itself after a dropped connection when retries are allowed', async () => {
    const dir = path.join(tmp.dir, 'auto');
    server.dropNext();
    server.requests.length = 0;
    const file = await downloadModel(downloadable('/drop-next/model.onnx'), dir);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]!.range).toBeUndefined();
    expect(server.requests[1]!.range).toMatch(/^bytes=\d+-$/);
    expect(readFileSync(file).equals(payload)).toBe(true);
  });

  it('starts over when the server ignores Range', async () => {
    const dir = path.join(tmp.dir, 'no-range');
    server.dropNext();
    const manifest = downloadable('/no-range/drop-next/model.onnx');
    await expect(downloadModel(manifest, dir, { retries: 0 })).rejects.toThrow(/stopped/);
    const file = await downloadModel(manifest, dir, { retries: 0 });
    expect(readFileSync(file).equals(payload)).toBe(true);
  });

  it('refuses a file with the wrong checksum and removes it', async () => {
    const dir = path.join(tmp.dir, 'bad-sum');
    const manifest = downloadable('/plain/model.onnx', 'f'.repeat(64));
    await expect(downloadModel(manifest, dir)).rejects.toThrow(
      /SHA-256 [0-9a-f]{64}, expected f{64}.*deleted/,
    );
    expect(existsSync(path.join(dir, 'test-download.onnx.part'))).toBe(false);
    expect(existsSync(path.join(dir, 'test-download.onnx'))).toBe(false);
  });

  it('reports an HTTP error with the address', async () => {
    const manifest = {
      ...downloadable('/plain/model.onnx'),
      source: {
        kind: 'download' as const,
        url: 'http://127.0.0.1:1/x.onnx',
        sha256: payloadSha,
        format: 'onnx' as const,
      },
    };
    await expect(downloadModel(manifest, path.join(tmp.dir, 'err'), { retries: 0 })).rejects.toThrow(
      /127\.0\.0\.1:1\/x\.onnx/,
    );
  });
});

describe('importModel', () => {
  it('copies a model whose shapes fit into the models folder', async () => {
    const src = buildOfflineModel().path;
    const file = await importModel(offline, src, path.join(tmp.dir, 'models'));
    expect(file).toBe(path.join(tmp.dir, 'models', 'mobilenet-v2-offline.onnx'));
    expect(await sha256File(file)).toBe(await sha256File(src));
  });

  it('accepts a ResNet-50-shaped graph for resnet50 and refuses it where 1280-d output is expected', async () => {
    const seeded = path.join(tmp.dir, 'resnet50-seeded-3.onnx');
    makeSeededResnet50(seeded, 3);
    const models = path.join(tmp.dir, 'models-resnet');
    expect(await importModel(resnet, seeded, models)).toBe(path.join(models, 'resnet50.onnx'));
    await expect(importModel(offline, seeded, models)).rejects.toThrow(
      /output has shape \[batch, 2048\], expected \[batch, 1280\]/,
    );
    expect(existsSync(path.join(models, 'mobilenet-v2-offline.onnx'))).toBe(false);
  });

  it('refuses a model with the wrong input size', async () => {
    // A tiny graph: [N, 3, 64, 64] -> global average pool -> [N, 3].
    const g = new OnnxGraphBuilder();
    g.fresh('pixels');
    g.node('Flatten', [g.node('GlobalAveragePool', ['pixels'], 'pool')], 'flat', { axis: 1 });
    g.renameLastOutput('embedding');
    const bytes = g.encode({
      graphName: 'tiny',
      producer: 'test',
      input: { name: 'pixels', shape: ['batch', 3, 64, 64] },
      output: { name: 'embedding', shape: ['batch', 3] },
    });
    const tiny = path.join(tmp.dir, 'tiny.onnx');
    await writeFile(tiny, bytes);
    await expect(importModel(offline, tiny, path.join(tmp.dir, 'models-tiny'))).rejects.toThrow(
      /tiny\.onnx cannot be used as .*input has shape \[batch, 3, 64, 64\], expected \[batch, 3, 224, 224\]/,
    );
  });

  it('refuses a file that is not an ONNX model', async () => {
    const junk = path.join(tmp.dir, 'junk.onnx');
    await writeFile(junk, 'definitely not protobuf');
    await expect(importModel(offline, junk, path.join(tmp.dir, 'models-junk'))).rejects.toThrow(
      /junk\.onnx is not an ONNX model/,
    );
  });

  it('requires the published checksum when the model has a download', async () => {
    const src = buildOfflineModel().path;
    const manifest = downloadable('/plain/model.onnx'); // sha256 of the random payload, not of this model
    await expect(importModel(manifest, src, path.join(tmp.dir, 'models-sum'))).rejects.toThrow(
      /not the published/,
    );
  });
});
