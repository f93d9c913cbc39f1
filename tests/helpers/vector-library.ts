// A library database holding photos and their vectors only (no files, no model run): what the
// vector index reads from, for tests of the index and its outbox on their own.
import { join } from 'node:path';
import { vectorToBlob } from '../../src/main/core/embed/embedding-rows';
import type { ModelManifest } from '../../src/main/core/embed/manifest';
import { type Db, openDatabase } from '../../src/main/core/library/db';
import { seededRandom } from './numbers';

export const VECTOR_MODEL = 'outbox-test-model';
export const VECTOR_DIM = 16;

/** What the index needs of the active model: its id and output size. */
export const vectorModel = { id: VECTOR_MODEL, output: { dim: VECTOR_DIM } } as ModelManifest;

export function openVectorLibrary(dataDir: string): Db {
  return openDatabase(join(dataDir, 'library.db'));
}

/** A photo and its vector, both made from the name (the same name, the same vector). */
export function addVectors(db: Db, names: string[]): void {
  const photo = db.prepare('INSERT OR IGNORE INTO photos (hash, size, created_at) VALUES (?, 1, 0)');
  const vector = db.prepare(
    'INSERT OR REPLACE INTO embeddings (hash, model_id, dim, vector, created_at) VALUES (?, ?, ?, ?, 0)',
  );
  db.transaction(() => {
    for (const name of names) {
      const rnd = seededRandom([...name].reduce((h, c) => h * 31 + c.charCodeAt(0), 7) >>> 0);
      const v = Float32Array.from({ length: VECTOR_DIM }, () => rnd() - 0.5);
      photo.run(name);
      vector.run(name, VECTOR_MODEL, VECTOR_DIM, vectorToBlob(v));
    }
  })();
}

/** Photos forgotten: their vectors leave SQLite (the index is told separately). */
export function removeVectors(db: Db, names: string[]): void {
  const del = db.prepare('DELETE FROM embeddings WHERE hash = ? AND model_id = ?');
  db.transaction(() => {
    for (const name of names) del.run(name, VECTOR_MODEL);
  })();
}

export function sqliteIds(db: Db): string[] {
  return (
    db.prepare('SELECT hash FROM embeddings WHERE model_id = ?').pluck().all(VECTOR_MODEL) as string[]
  ).sort();
}

export const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
