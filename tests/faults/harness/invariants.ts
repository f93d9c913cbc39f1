import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { dataPaths } from '../../../src/main/core/app';
import { thumbFiles } from '../../../src/main/core/ingest';
import type { PreviewFormat } from '../../../src/main/core/ingest/thumbnails';

export interface LibraryCheck {
  /** Every broken promise found, in words; empty when the library is whole. */
  violations: string[];
  photos: number;
  files: number;
  embeddings: number;
  storeIds: number;
}

/** The ids the embedded store saved for a model (its committed generation), or null if none. */
export function embeddedStoreIds(dataDir: string, model: string): string[] | null {
  const dir = join(dataPaths(dataDir).vectors, 'embedded', model);
  const sidecarPath = join(dir, 'vectors.json');
  if (!existsSync(sidecarPath)) return null;
  const sidecar = JSON.parse(readFileSync(sidecarPath, 'utf8')) as { entriesFile: string; slots: number };
  const entries = JSON.parse(readFileSync(join(dir, sidecar.entriesFile), 'utf8')) as {
    ids: (string | null)[];
  };
  return entries.ids.slice(0, sidecar.slots).filter((id): id is string => id !== null);
}

function storeFiles(dataDir: string, model: string): string[] {
  const dir = join(dataPaths(dataDir).vectors, 'embedded', model);
  const sidecar = JSON.parse(readFileSync(join(dir, 'vectors.json'), 'utf8')) as {
    indexFile: string;
    entriesFile: string;
  };
  return ['vectors.json', 'vectors.f16', sidecar.indexFile, sidecar.entriesFile];
}

/**
 * What "nothing lost, nothing doubled" means for a closed data directory whose photo folder
 * holds `expected` (relative path -> sha-256): each photo in the library once, with its
 * thumbnails, exactly one embedding per model, the vector store holding exactly SQLite's ids,
 * no job or outbox row left over, no thumbnail without a photo, and a sound database.
 */
export function checkLibrary(
  dataDir: string,
  photosDir: string,
  expected: Map<string, string>,
  model = 'mobilenet-v2-offline',
): LibraryCheck {
  const v: string[] = [];
  const paths = dataPaths(dataDir);
  const db = new Database(paths.database, { readonly: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') v.push(`PRAGMA integrity_check: ${integrity}`);
    const fk = db.pragma('foreign_key_check') as unknown[];
    if (fk.length > 0) v.push(`foreign_key_check: ${JSON.stringify(fk.slice(0, 3))}`);

    const files = db.prepare('SELECT path, hash, status, error FROM files').all() as {
      path: string;
      hash: string | null;
      status: string;
      error: string | null;
    }[];
    const byRel = new Map(files.map((f) => [relative(photosDir, f.path), f]));
    for (const [rel, hash] of expected) {
      const f = byRel.get(rel);
      if (!f) v.push(`${rel}: not in the library`);
      else if (f.status !== 'ok') v.push(`${rel}: ${f.status} (${f.error})`);
      else if (f.hash !== hash) v.push(`${rel}: recorded hash ${f.hash} is not its content's ${hash}`);
    }
    for (const f of files)
      if (!expected.has(relative(photosDir, f.path))) v.push(`${f.path}: in the library, not on disk`);

    const photos = db.prepare('SELECT hash, thumb_state, thumb_format FROM photos').all() as {
      hash: string;
      thumb_state: string;
      thumb_format: PreviewFormat;
    }[];
    const hashes = new Set(expected.values());
    for (const p of photos) {
      if (!hashes.has(p.hash)) v.push(`photo ${p.hash}: no file has this content`);
      if (p.thumb_state !== 'done') v.push(`photo ${p.hash}: thumbnail ${p.thumb_state}`);
      const t = thumbFiles(paths.thumbs, p.hash, p.thumb_format);
      if (!existsSync(t.small) || !existsSync(t.large)) v.push(`photo ${p.hash}: thumbnail file missing`);
    }
    if (photos.length !== hashes.size) v.push(`${photos.length} photos for ${hashes.size} distinct contents`);

    const known = new Set(photos.map((p) => p.hash));
    for (const entry of readdirSync(paths.thumbs, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const m = /^([0-9a-f]{64})_[sl]\.(webp|jpg)$/.exec(entry.name);
      if (!m) v.push(`thumbs: stray file ${entry.name}`);
      else if (!known.has(m[1]!)) v.push(`thumbs: ${entry.name} belongs to no photo`);
    }

    for (const entry of readdirSync(dataDir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.tmp'))
        v.push(`a temp file was left: ${join(entry.parentPath, entry.name)}`);
    }

    const models = [
      ...new Set([
        model,
        ...(db.prepare('SELECT DISTINCT model_id FROM embeddings').pluck().all() as string[]),
      ]),
    ];
    let embeddings = 0;
    let storeIds = 0;
    for (const model of models) {
      const rows = db
        .prepare('SELECT hash FROM embeddings WHERE model_id = ?')
        .pluck()
        .all(model) as string[];
      embeddings += rows.length;
      const inSql = new Set(rows);
      for (const h of known) if (!inSql.has(h)) v.push(`photo ${h}: no ${model} embedding`);
      for (const h of inSql) if (!known.has(h)) v.push(`embedding ${model}/${h}: no such photo`);
      const ids = embeddedStoreIds(dataDir, model);
      if (ids === null) {
        v.push(`the embedded store for ${model} was never saved`);
        continue;
      }
      storeIds += ids.length;
      const current = storeFiles(dataDir, model);
      for (const name of readdirSync(join(paths.vectors, 'embedded', model))) {
        if (!current.includes(name)) v.push(`store ${model}: stray file ${name}`);
      }
      const inStore = new Set(ids);
      if (inStore.size !== ids.length) v.push(`the ${model} store holds an id twice`);
      for (const h of inSql) if (!inStore.has(h)) v.push(`store ${model}: missing ${h}`);
      for (const h of inStore) if (!inSql.has(h)) v.push(`store ${model}: extra ${h}`);
    }

    const jobs = db.prepare('SELECT kind, key, state, error FROM jobs').all() as {
      kind: string;
      key: string;
      state: string;
      error: string | null;
    }[];
    for (const j of jobs) v.push(`job ${j.kind} ${j.key} left ${j.state}${j.error ? `: ${j.error}` : ''}`);
    const outbox = db.prepare('SELECT count(*) FROM vector_outbox').pluck().get() as number;
    if (outbox > 0) v.push(`${outbox} vector writes still in the outbox`);
    return { violations: v, photos: photos.length, files: files.length, embeddings, storeIds };
  } finally {
    db.close();
  }
}
