import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectionNameFor, openMilvusStore, testConnection } from '../../src/main/core/vectors/milvus';
import { filterExpression, NO_DATE } from '../../src/main/core/vectors/milvus/expressions';
import {
  freeLoopbackPort,
  type MilvusLiteServer,
  startMilvusLite,
} from '../../src/main/core/vectors/milvus-lite';
import { VectorStoreError } from '../../src/main/core/vectors/port';
import { axis, clustered, runVectorStoreContract } from './contract';
import { startAuthMilvusServer } from './milvus-auth-server';

const root = mkdtempSync(join(tmpdir(), 'komorebi-milvus-'));
let lite: MilvusLiteServer;
const servers: MilvusLiteServer[] = [];

beforeAll(async () => {
  lite = await startMilvusLite({ dataDir: join(root, 'shared') });
  servers.push(lite);
});

afterAll(async () => {
  for (const server of servers) await server.stop();
  rmSync(root, { recursive: true, force: true });
});

const prefixFor = (location: string) => `t_${location.replace(/[^a-zA-Z0-9]/g, '_')}`;

runVectorStoreContract('Milvus Lite (started by the test)', ({ location, model, dimension }) =>
  openMilvusStore({ connection: { uri: lite.uri }, model, dimension, collectionPrefix: prefixFor(location) }),
);

// The same contract against a real server (standalone, cluster or Zilliz Cloud) when one is configured.
if (process.env.MILVUS_URI) {
  runVectorStoreContract(`Milvus at MILVUS_URI`, ({ location, model, dimension }) =>
    openMilvusStore({
      connection: { uri: process.env.MILVUS_URI!, token: process.env.MILVUS_TOKEN },
      model,
      dimension,
      collectionPrefix: prefixFor(location),
    }),
  );
}

describe('Milvus expressions and names', () => {
  it('pushes folder, date and exclusion filters down as one expression', () => {
    expect(filterExpression(undefined)).toBe('');
    expect(filterExpression({ folderIds: [] })).toBeNull();
    expect(filterExpression({ folderIds: [3, 4], from: 10.5, to: 20, excludeIds: ['a"b', 'c\\d'] })).toBe(
      `array_contains_any(folder_ids, [3, 4]) and taken_at > ${NO_DATE} and taken_at >= 11 and taken_at <= 20 and id not in ["a\\"b", "c\\\\d"]`,
    );
  });

  it('names one collection per model, valid for Milvus and distinct after sanitising', () => {
    const a = collectionNameFor('resnet-50@timm/v1.5');
    const b = collectionNameFor('resnet_50@timm/v1.5');
    expect(a).toMatch(/^[a-zA-Z_][a-zA-Z0-9_]*$/);
    expect(a).not.toBe(b);
    expect(collectionNameFor('resnet-50@timm/v1.5')).toBe(a);
  });
});

describe('Milvus connection and failures', () => {
  it('tests a working connection and reports the server version', async () => {
    const result = await testConnection({ uri: lite.uri });
    // Milvus Lite does not report a version number (its GetVersion answer is empty).
    expect(result).toMatchObject({ ok: true, serverVersion: expect.any(String) });
  });

  it('reports a wrong URI as unreachable, with the URI in the message', async () => {
    const port = await freeLoopbackPort();
    const uri = `http://127.0.0.1:${port}`;
    const result = await testConnection({ uri, timeoutMs: 2_000 });
    expect(result.ok).toBe(false);
    expect(result.error?.kind).toBe('unreachable');
    expect(result.error?.message).toContain(`127.0.0.1:${port}`);
    const opening = openMilvusStore({ connection: { uri, timeoutMs: 2_000 }, model: 'm', dimension: 8 });
    await expect(opening).rejects.toBeInstanceOf(VectorStoreError);
    await expect(opening).rejects.toMatchObject({ kind: 'unreachable' });
  });

  it('refuses a malformed URI before connecting, as an invalid setting', async () => {
    for (const uri of ['', 'ftp://example.org:21', 'http://', 'local host:19530']) {
      const result = await testConnection({ uri });
      expect(result).toMatchObject({
        ok: false,
        error: { kind: 'invalid', message: expect.stringContaining('URI') },
      });
    }
    await expect(
      openMilvusStore({ connection: { uri: 'http://' }, model: 'm', dimension: 8 }),
    ).rejects.toMatchObject({
      kind: 'invalid',
    });
  });

  it('gives up on a host that never answers instead of hanging', async () => {
    // A TEST-NET-1 address (RFC 5737): packets go nowhere, so only the deadline ends the wait.
    const result = await testConnection({ uri: 'http://192.0.2.1:19530', timeoutMs: 1_500 });
    expect(result).toMatchObject({ ok: false, error: { kind: 'unreachable' } });
  });

  it('batches large upserts, lists their ids page by page, and keeps data across a restart of Milvus Lite on the same files', async () => {
    const dataDir = join(root, 'restart');
    const port = await freeLoopbackPort();
    const first = await startMilvusLite({ dataDir, port });
    servers.push(first);
    const options = { connection: { uri: first.uri }, model: 'restart-model', dimension: 32 };
    const store = await openMilvusStore(options);
    const vectors = clustered(2_500, 32, 5);
    await store.upsert(vectors.map((vector, i) => ({ id: `r${i}`, vector, folderIds: [i % 3], takenAt: i })));
    expect(await store.count()).toBe(2_500);
    await first.stop();
    servers.splice(servers.indexOf(first), 1);

    const second = await startMilvusLite({ dataDir, port });
    servers.push(second);
    const reopened = await openMilvusStore(options);
    expect(await reopened.count()).toBe(2_500);
    // Listed a page at a time by primary key: every id once.
    const paged = await openMilvusStore({ ...options, idsPerPage: 700 });
    const ids = await paged.ids();
    expect(ids).toHaveLength(2_500);
    expect(new Set(ids)).toEqual(new Set(vectors.map((_, i) => `r${i}`)));
    await paged.close();
    const hits = await reopened.search(vectors[1234]!, 3, { folderIds: [1234 % 3] });
    expect(hits[0]).toMatchObject({ id: 'r1234' });
    expect(hits[0]!.score).toBeCloseTo(1, 3);
    // The connection opened before the restart finds the server again by itself.
    expect(await store.count()).toBe(2_500);
    await reopened.close();
    await store.close();
  });

  it('rejects a write with a typed error when Milvus dies during it', async () => {
    const server = await startMilvusLite({ dataDir: join(root, 'killed') });
    servers.push(server);
    const store = await openMilvusStore({
      connection: { uri: server.uri, timeoutMs: 3_000 },
      model: 'killed-model',
      dimension: 2048,
    });
    await store.upsert([{ id: 'first', vector: axis(0, 2048), folderIds: [1], takenAt: null }]);
    const items = clustered(3_000, 2048, 9).map((vector, i) => ({
      id: `k${i}`,
      vector,
      folderIds: [1],
      takenAt: i,
    }));
    const writing = store.upsert(items);
    // Lite takes seconds per 1,000-row batch of 2048-d vectors: the first batch is in flight.
    await new Promise((resolve) => setTimeout(resolve, 200));
    process.kill(server.pid, 'SIGKILL');
    await expect(writing).rejects.toBeInstanceOf(VectorStoreError);
    await expect(writing).rejects.toMatchObject({
      kind: 'unreachable',
      message: expect.stringContaining('Milvus at'),
    });
    await expect(store.count()).rejects.toMatchObject({ kind: 'unreachable' });
    await store.close();
    await server.stop();
    servers.splice(servers.indexOf(server), 1);
  });
});

describe('Milvus with authentication on', () => {
  it('reports a wrong token as an auth error and accepts the right one', async () => {
    const server = await startAuthMilvusServer('good-key');
    try {
      const wrong = await testConnection({ uri: server.uri, token: 'bad-key', timeoutMs: 3_000 });
      expect(wrong).toMatchObject({
        ok: false,
        error: { kind: 'auth', message: expect.stringContaining('token') },
      });
      const missing = await testConnection({ uri: server.uri, timeoutMs: 3_000 });
      expect(missing.error?.kind).toBe('auth');
      const right = await testConnection({ uri: server.uri, token: 'good-key', timeoutMs: 3_000 });
      expect(right).toEqual({ ok: true, serverVersion: 'v2.5.4' });
      const opening = openMilvusStore({
        connection: { uri: server.uri, token: 'bad-key', timeoutMs: 3_000 },
        model: 'm',
        dimension: 8,
      });
      await expect(opening).rejects.toMatchObject({ kind: 'auth' });
    } finally {
      await server.stop();
    }
  });

  it('refuses a server older than Milvus 2.4 with a version error', async () => {
    const server = await startAuthMilvusServer('key', 'v2.2.16');
    try {
      const result = await testConnection({ uri: server.uri, token: 'key', timeoutMs: 3_000 });
      expect(result).toMatchObject({
        ok: false,
        error: { kind: 'version', message: expect.stringContaining('2.4') },
      });
    } finally {
      await server.stop();
    }
  });
});
