// A vector leaves the outbox only once it is on disk: the index process is SIGKILLed after the
// embedded store acknowledged N removals and N additions and before it saved them. Afterwards
// the store holds exactly SQLite's ids.
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp';
import { openVectorLibrary, sqliteIds, VECTOR_MODEL } from '../helpers/vector-library';
import { embeddedStoreIds } from './harness/invariants';

const repo = join(import.meta.dirname, '..', '..');
const script = join(import.meta.dirname, 'harness', 'outbox-process.ts');
const N = 40;
const data = tempDir('komorebi-faults-outbox-');
afterAll(() => data.cleanup());

const run = (...args: string[]) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', script, data.dir, ...args], { cwd: repo });

/** Runs `change` until it says every write was acknowledged, then SIGKILLs it. */
async function changeThenKill(): Promise<Record<string, unknown>> {
  const proc = spawn(process.execPath, ['--import', 'tsx', script, data.dir, 'change', String(N)], {
    cwd: repo,
  });
  let out = '';
  let err = '';
  proc.stderr.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const line = await new Promise<Record<string, unknown>>((resolve, reject) => {
    proc.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const done = out.split('\n').find((l) => l.includes('"acknowledged"'));
      if (done) resolve(JSON.parse(done));
    });
    proc.once('exit', (code) => reject(new Error(`change exited (${code}) early: ${err}`)));
  });
  const gone = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGKILL');
  await gone;
  return line;
}

describe('SIGKILL between the store acknowledging writes and saving them', () => {
  it(`after ${N} removals and ${N} additions, the store's ids equal SQLite's`, async () => {
    await run('fill', String(N));
    const saved = embeddedStoreIds(data.dir, VECTOR_MODEL)!;
    expect(saved).toHaveLength(2 * N);

    const acknowledged = await changeThenKill();
    expect(acknowledged).toMatchObject({ unsaved: 2 * N, stored: 2 * N });
    // The kill fell in the save window: on disk the store still holds the old ids.
    expect(embeddedStoreIds(data.dir, VECTOR_MODEL)!.sort()).toEqual(saved.sort());

    await run('settle');
    const db = openVectorLibrary(data.dir);
    const inSql = sqliteIds(db);
    const outbox = db.prepare('SELECT count(*) FROM vector_outbox').pluck().get();
    db.close();
    expect(inSql.filter((id) => id.startsWith('q'))).toHaveLength(N);
    expect(embeddedStoreIds(data.dir, VECTOR_MODEL)!.sort()).toEqual(inSql);
    expect(outbox).toBe(0);
  });
});
