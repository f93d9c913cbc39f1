import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './files';

/**
 * The small JSON file that commits a saved index. It names the generation's index and
 * entries files, so renaming it is the single atomic step of a save: a crash before it
 * leaves the previous generation whole.
 */
export interface Sidecar {
  format: 1;
  engine: 'usearch-hnsw';
  model: string;
  dimension: number;
  /** How the graph holds vectors; a graph saved another way is rebuilt. */
  quantization: typeof GRAPH_QUANTIZATION;
  metric: 'cos';
  connectivity: number;
  /** Live vectors. */
  count: number;
  /** Slots used in vectors.f16 (live + removed); anything past it is an unsaved tail. */
  slots: number;
  generation: number;
  indexFile: string;
  entriesFile: string;
  /** Caller's marker of the last SQLite row copied in, for "is this index stale?". */
  syncMarker: string | null;
  savedAt: string;
}

/**
 * The graph keeps 8-bit vectors (2 KB per 2048-d vector, half of f16) and every answer is
 * rescored from the f16 copy in vectors.f16; decision 0003 has the measurements.
 */
export const GRAPH_QUANTIZATION = 'i8';

export const SIDECAR_FILE = 'vectors.json';
export const VECTORS_FILE = 'vectors.f16';

export type IndexHealth =
  | { state: 'ready' }
  | { state: 'missing' }
  | { state: 'other-model'; found: { model: string; dimension: number } }
  | { state: 'old-format'; found: string }
  | { state: 'corrupt'; reason: string };

export function readSidecar(dir: string): { sidecar: Sidecar | null; problem?: string } {
  const path = join(dir, SIDECAR_FILE);
  if (!existsSync(path)) return { sidecar: null };
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Sidecar;
    if (value.format !== 1 || typeof value.model !== 'string' || !Number.isInteger(value.dimension)) {
      return { sidecar: null, problem: `${path} is not a Komorebi vector index description` };
    }
    return { sidecar: value };
  } catch (error) {
    return { sidecar: null, problem: `${path} could not be read: ${(error as Error).message}` };
  }
}

export function writeSidecar(dir: string, sidecar: Sidecar): void {
  writeFileAtomic(join(dir, SIDECAR_FILE), `${JSON.stringify(sidecar, null, 2)}\n`);
}

/**
 * What the app does at start: if the index is not ready, or its count or sync marker
 * disagree with SQLite, it refills the store from the embeddings table (no re-embedding).
 */
export function needsRebuild(
  health: IndexHealth,
  current: { count: number; syncMarker: string | null },
  expected: { count: number; syncMarker: string | null },
): false | IndexHealth['state'] | 'stale' {
  if (health.state !== 'ready') return health.state;
  if (current.count !== expected.count || current.syncMarker !== expected.syncMarker) return 'stale';
  return false;
}
