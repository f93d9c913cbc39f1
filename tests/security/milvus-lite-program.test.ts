// Attack: make the core run a program of the caller's choosing through the vector store
// settings (`vectors:test` / `vectors:configure` used to take a Milvus Lite `binaryPath`).
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findMilvusLiteBinary } from '../../src/main/core/vectors/milvus-lite';
import { parseStoredStoreConfig } from '../../src/shared/store-config';
import { type BrowserCore, startBrowserCore } from './browser-core';

let app: BrowserCore;
let program: string;
let marker: string;

beforeAll(async () => {
  app = await startBrowserCore({ autoStart: false });
  marker = join(app.root, 'ran.txt');
  program = join(app.root, 'not-milvus.sh');
  // Stands for any executable on the machine: it leaves a mark if it is ever started.
  writeFileSync(program, `#!/bin/sh\necho "$@" > '${marker}'\nsleep 30\n`);
  chmodSync(program, 0o755);
}, 60_000);
afterAll(() => app?.close());

describe('the Milvus Lite program is not part of the Api', () => {
  it.each(['vectors:test', 'vectors:configure'])(
    '%s refuses a program path (400) and runs nothing',
    async (method) => {
      const reply = await app.call(method, { config: { kind: 'milvus-lite', binaryPath: program } });
      expect(reply.status).toBe(400);
      expect(JSON.parse(reply.text).error).toMatchObject({ name: 'BadRequestError' });
      expect(JSON.parse(reply.text).error.message).toMatch(/binaryPath/);
      expect(existsSync(marker)).toBe(false);
    },
  );

  it('the core starts only the binary it ships, even when a caller slips a path past the schema', async () => {
    const smuggled = { config: { kind: 'milvus-lite', binaryPath: program } } as never;
    const result = await app.core.handlers['vectors:test'](smuggled);
    expect(existsSync(marker)).toBe(false);
    const shipped = findMilvusLiteBinary();
    if (shipped) expect(result).toMatchObject({ ok: true });
    else expect(result.message).toMatch(/comes with Komorebi was not found/);
  }, 60_000);

  it('the shipped binary is the one inside the Milvus Lite package, not one from the working directory', () => {
    const shipped = findMilvusLiteBinary();
    if (shipped) expect(shipped).toMatch(/@lyyyuna[/\\]milvus-lite-linux-x64[/\\]lib[/\\]milvus$/);
  });

  it('a choice saved by an earlier version with a program path still reads as Milvus Lite, without the path', () => {
    expect(parseStoredStoreConfig({ kind: 'milvus-lite', binaryPath: program })).toEqual({
      kind: 'milvus-lite',
    });
    expect(parseStoredStoreConfig({ kind: 'milvus', uri: 'http://localhost:19530' })).toEqual({
      kind: 'milvus',
      uri: 'http://localhost:19530',
    });
    expect(parseStoredStoreConfig({ kind: 'nonsense' })).toBeNull();
  });
});
