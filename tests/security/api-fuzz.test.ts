// Proof by fuzzing: every Api method, fed random and malformed payloads generated from its zod
// schema through browser mode's HTTP API (the real server over the real core, on a small real
// library), answers a clear 4xx for anything the schema refuses and never a 5xx for anything,
// and the library (every database row, every file of the data directory) is unchanged after
// each method. Methods that change the library by design get only inputs that change nothing
// (ids no row has, paths that do not exist) or none; their malformed payloads are all sent.
// Set FUZZ_SEED to replay a failure; FUZZ_RUNS to go deeper.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOfflineModel } from '../../scripts/models/build-offline-model';
import { type ApiMethod, apiMethods, requests } from '../../src/shared/api';
import { waitUntilSettled } from '../helpers/settle';
import { writeImage } from '../ingest/helpers';
import { type Reply, send } from '../server/helpers';
import { type BrowserCore, startBrowserCore } from './browser-core';
import { broken, jsonSchemaOf, overTheWire, valid } from './fuzz/arbitraries';
import { type LibrarySnapshot, snapshotLibrary } from './fuzz/snapshot';

const RUNS = Number(process.env.FUZZ_RUNS ?? 30);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

let app: BrowserCore;
let baseline: LibrarySnapshot;
let exportSandbox: string;

/** Ids no row has: the library holds a handful of photos, folders and no comics. */
const far = fc.integer({ min: 1_000_001, max: 2_000_000_000 });
const nowhere = fc
  .string({ minLength: 1, maxLength: 24 })
  .map((s) => `/nonexistent-komorebi-fuzz/${encodeURIComponent(s)}`);
const unknownModel = fc.stringMatching(/^fuzz-[a-z0-9.-]{0,20}$/);

/**
 * Valid inputs that change nothing, for the methods whose valid inputs change the library by
 * design (null: none at all; their effect is the subject of their own tests).
 */
function harmless(): Partial<Record<ApiMethod, fc.Arbitrary<unknown> | null>> {
  return {
    'folders:add': fc.oneof(
      nowhere.map((path) => ({ path })),
      // Refused by design: the filesystem root, system folders, the data folder and its parent.
      fc
        .constantFrom('/', '/etc', '/proc/self', '/usr/share', app.dataDir, app.root)
        .map((path) => ({ path })),
    ),
    'folders:remove': far.map((id) => ({ id })),
    'folders:rescan': far.map((id) => ({ id })),
    'jobs:pause': null,
    'jobs:resume': null,
    'models:use': unknownModel.map((id) => ({ id })),
    'models:download': unknownModel.map((id) => ({ id })),
    'models:import': fc.record({ id: unknownModel, path: nowhere }),
    'models:dismiss-notice': null,
    'embeddings:threads': null,
    'photos:trash': fc.record({
      ids: fc.array(far, { minLength: 1, maxLength: 4 }),
      confirmed: fc.constant(true),
    }),
    'vectors:configure': null,
    'vectors:test': fc.constant({ config: { kind: 'embedded' } }),
    'studio:settings': null,
    'studio:set-key': null,
    'studio:create': fc.record({ photoIds: fc.array(far, { minLength: 1, maxLength: 3 }) }),
    'studio:export': fc.record({
      versionIds: fc.array(far, { minLength: 1, maxLength: 3 }),
      formats: fc.subarray(['page', 'panels', 'pdf', 'cbz'], { minLength: 1 }),
      folder: fc
        .string({ minLength: 1, maxLength: 12 })
        .map((s) => join(exportSandbox, encodeURIComponent(s))),
    }),
    'studio:save-style': null,
    // Refused by design: a system folder, the data folder, a hidden folder.
    'studio:confirm-folder': fc
      .constantFrom(
        '/',
        '/etc',
        '/proc/self',
        app.dataDir,
        join(app.dataDir, 'thumbs'),
        join(app.root, '.config'),
      )
      .map((path) => ({ path, confirmed: true })),
  };
}

function payloads(method: ApiMethod): fc.Arbitrary<unknown> {
  const schema = jsonSchemaOf(requests[method]);
  const override = harmless()[method];
  if (override === undefined) return fc.oneof(valid(schema), broken(schema), broken(schema));
  // A broken value can still be valid by chance ({} for a method without input): for these
  // methods only the harmless ones of the valid inputs may reach the core.
  const refused = broken(schema).filter((p) => !accepts(method, overTheWire(p)));
  return override === null ? refused : fc.oneof(override, refused, refused);
}

function accepts(method: ApiMethod, payload: unknown): boolean {
  return requests[method].safeParse(payload ?? {}).success;
}

function errorOf(reply: Reply): { name: string; message: string } | null {
  try {
    const body = JSON.parse(reply.text) as { error?: { name?: unknown; message?: unknown } };
    const { name, message } = body.error ?? {};
    return typeof name === 'string' && typeof message === 'string' ? { name, message } : null;
  } catch {
    return null;
  }
}

/** A clear 4xx: a JSON error with a name and a message that says something. */
function expectClearRefusal(reply: Reply, what: string): { name: string; message: string } {
  expect(reply.status, `${what}: ${reply.status} ${reply.text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
  expect(reply.status, `${what}: ${reply.text.slice(0, 300)}`).toBeLessThan(500);
  const error = errorOf(reply);
  expect(error, `${what}: not a JSON error: ${reply.text.slice(0, 300)}`).not.toBeNull();
  expect(error!.message.length, what).toBeGreaterThan(10);
  return error!;
}

function changes(before: LibrarySnapshot, after: LibrarySnapshot): string[] {
  const out: string[] = [];
  for (const [kind, a, b] of [
    ['table', before.tables, after.tables],
    ['file', before.files, after.files],
  ] as const) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (a[key] !== b[key]) out.push(`${kind} ${key}`);
    }
  }
  return out;
}

beforeAll(async () => {
  buildOfflineModel();
  app = await startBrowserCore({
    library: async (core, root) => {
      const photos = join(root, 'Photos');
      mkdirSync(photos);
      for (let i = 1; i <= 3; i++) await writeImage(join(photos, `p${i}.jpg`), { seed: i });
      await core.handlers['folders:add']({ path: photos });
      await waitUntilSettled(core);
    },
  });
  // The served core rescans at start; once that is done the library is quiet.
  await waitUntilSettled(app.core);
  exportSandbox = join(app.root, 'export-sandbox');
  baseline = snapshotLibrary(app.dataDir);
  expect(Object.keys(baseline.files).some((f) => f.startsWith('thumbs/'))).toBe(true);
  expect(JSON.parse((await app.call('photos:list', {})).text).total).toBe(3);
}, 120_000);
afterAll(() => app?.close());

describe('every Api method under random and malformed payloads', () => {
  it.each(apiMethods)(
    '%s: 4xx for what the schema refuses, never 5xx, the library unchanged',
    async (method) => {
      await fc.assert(
        fc.asyncProperty(payloads(method), async (payload) => {
          const wire = overTheWire(payload);
          const reply = await app.call(method, payload);
          if (!accepts(method, wire)) {
            const error = expectClearRefusal(reply, `${method} ${JSON.stringify(wire)?.slice(0, 200)}`);
            expect(error.name).toBe('BadRequestError');
            expect(error.message).toContain(method);
          } else if (reply.status >= 400) {
            expectClearRefusal(reply, `${method} ${JSON.stringify(wire)?.slice(0, 200)}`);
          } else {
            expect(reply.status).toBe(200);
            JSON.parse(reply.text);
          }
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: false },
      );
      const after = snapshotLibrary(app.dataDir);
      expect(changes(baseline, after), `${method} changed the library`).toEqual([]);
      expect(existsSync(exportSandbox), `${method} wrote an export`).toBe(false);
    },
  );
});

describe('bodies, verbs and names that are not requests at all', () => {
  const methodsSample = [
    'folders:add',
    'photos:trash',
    'studio:set-key',
    'vectors:configure',
    'app:info',
  ] as const;
  const raw = (
    path: string,
    body: string | Buffer | undefined,
    headers: Record<string, string> = {},
    verb = 'POST',
  ) =>
    send(app.server.port, path, {
      method: verb,
      headers: { 'x-komorebi-token': app.token, 'content-type': 'application/json', ...headers },
      body,
    });

  it('answers bodies that are not JSON with 400, oversized ones with 413, other types with 415', async () => {
    const bodies: (string | Buffer)[] = [
      '{',
      '{"path": ',
      'nul',
      '\u0000',
      '{"a":1}{"b":2}',
      '\ufeff{}',
      Buffer.from([0xff, 0xfe, 0x00, 0x7b]),
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      `{"ids":[${'1,'.repeat(50_000)}1],"confirmed":true}`,
      '1e999',
      '"a string"',
      '[]',
    ];
    for (const method of methodsSample) {
      for (const body of bodies) {
        const reply = await raw(`/api/${method}`, body);
        const error = expectClearRefusal(reply, `${method} ${String(body).slice(0, 40)}`);
        expect([400, 413]).toContain(reply.status);
        expect(error.name).toMatch(/BadRequestError|PayloadTooLargeError/);
      }
      const huge = await raw(`/api/${method}`, JSON.stringify({ path: 'x'.repeat(1_100_000) }));
      expect(huge.status).toBe(413);
      for (const type of [
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
      ]) {
        expect((await raw(`/api/${method}`, '{}', { 'content-type': type })).status).toBe(415);
      }
      for (const verb of ['GET', 'PUT', 'DELETE', 'PATCH']) {
        expect((await raw(`/api/${method}`, undefined, {}, verb)).status, verb).toBe(405);
      }
    }
    expect(changes(baseline, snapshotLibrary(app.dataDir))).toEqual([]);
  }, 60_000);

  it('answers names that are not Api methods with 404, and everything without the token with 401', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 30 }).map(encodeURIComponent),
          fc.constantFrom(
            '__proto__',
            'constructor',
            'hasOwnProperty',
            'toString',
            '%E0%A4%A',
            'folders:add%00',
            'folders%2Fadd',
            '..%2Fevents',
          ),
        ),
        async (name) => {
          if (apiMethods.includes(decodeURIComponentSafe(name) as ApiMethod)) return;
          const reply = await raw(`/api/${name}`, '{}');
          expect([404, 400], `${name}: ${reply.status}`).toContain(reply.status);
        },
      ),
      { numRuns: RUNS * 2, seed: SEED },
    );
    for (const method of apiMethods) {
      const reply = await send(app.server.port, `/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(reply.status, method).toBe(401);
    }
    expect(changes(baseline, snapshotLibrary(app.dataDir))).toEqual([]);
  }, 60_000);
});

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return '';
  }
}
