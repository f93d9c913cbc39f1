/**
 * The vector index (the real one: outbox in SQLite, the embedded store in its worker thread)
 * as its own process, for a test that SIGKILLs it between a write and the store's save.
 *
 *   node --import tsx tests/faults/harness/outbox-process.ts <dataDir> fill <n>
 *     2n photos with vectors, indexed and saved; exits 0.
 *   node --import tsx tests/faults/harness/outbox-process.ts <dataDir> change <n>
 *     n photos forgotten and n new ones, every write acknowledged by the store and none saved
 *     yet (the save is held back); prints {"event":"acknowledged"} and waits to be killed.
 *   node --import tsx tests/faults/harness/outbox-process.ts <dataDir> settle
 *     opens, lets the index catch up and save, closes; exits 0.
 */

import { join } from 'node:path';
import { Redactor } from '../../../src/main/core/redact';
import { VectorIndex } from '../../../src/main/core/search/vector-index';
import type { VectorStoreStatus } from '../../../src/shared/model';
import {
  addVectors,
  names,
  openVectorLibrary,
  removeVectors,
  VECTOR_MODEL,
  vectorModel,
} from '../../helpers/vector-library';

const [dataDir, mode, count] = process.argv.slice(2);
if (!dataDir || !mode) throw new Error('usage: outbox-process.ts <dataDir> fill|change|settle [n]');
const n = Number(count ?? 0);
const say = (event: string, more: object = {}) => console.log(JSON.stringify({ event, ...more }));

const db = openVectorLibrary(dataDir);
const index = new VectorIndex({
  db,
  redactor: new Redactor(),
  notifier: { emit() {} },
  dir: join(dataDir, 'vectors'),
  activeModel: () => vectorModel,
  // 'change' holds the save back, so the kill surely falls between acknowledgement and save.
  embedded: mode === 'change' ? { saveDelayMs: 3_600_000, maxSaveDelayMs: 3_600_000 } : undefined,
});

async function until(check: (s: VectorStoreStatus) => boolean): Promise<VectorStoreStatus> {
  for (;;) {
    const s = index.status();
    if (check(s)) return s;
    await new Promise((r) => setTimeout(r, 20));
  }
}

await index.open();
if (mode === 'fill') {
  const all = names('p', 2 * n);
  addVectors(db, all);
  index.enqueue(all, VECTOR_MODEL);
}
if (mode === 'change') {
  await until((s) => s.state === 'ready' && s.outbox === 0);
  const gone = names('p', n);
  removeVectors(db, gone);
  index.enqueue(gone, VECTOR_MODEL, 'remove');
  const added = names('q', n);
  addVectors(db, added);
  index.enqueue(added, VECTOR_MODEL);
  const s = await until((s) => s.outbox === 0 && s.unsaved >= 2 * n);
  say('acknowledged', { unsaved: s.unsaved, stored: s.stored });
  setInterval(() => {}, 1_000);
} else {
  await until((s) => s.state === 'ready' && s.outbox === 0 && s.unsaved === 0);
  await index.close();
  db.close();
  say('done');
}
