import type usearch from 'usearch';
import type { VectorHit } from '../port';
import type { SlotTable } from './entries';
import { exactScan } from './filtering';
import type { VectorFile } from './vector-file';

/** The search list for a library of `live` photos: `base` up to 100,000, then x2 per 10x. */
export function searchListSize(base: number, live: number, growth: boolean): number {
  if (!growth || live <= 100_000) return base;
  return Math.round(base * 2 ** Math.log10(live / 100_000));
}

/** What a graph search reads: the HNSW graph, the slot table and the f16 copy of the vectors. */
export interface GraphParts {
  index: InstanceType<typeof usearch.Index>;
  table: SlotTable;
  file: VectorFile;
  options: { rescoreFactor: number; expansionSearch: number; searchListGrowth: boolean; threads: number };
}

/**
 * Asks the graph for at least `fetch` candidates, keeps those the filter accepts (up to
 * rescoreFactor x k of them) and ranks those by exact cosine from the f16 copy.
 */
export function graphSearch(
  g: GraphParts,
  query: Float32Array,
  want: { fetch: number; accepts: (slot: number) => boolean; k: number },
): VectorHit[] {
  const { k } = want;
  const pool = Math.max(k * g.options.rescoreFactor, k + 20);
  // usearch searches with a list of max(expansion_search, count asked), so asking for
  // more widens the search without rebuilding the index.
  const list = searchListSize(g.options.expansionSearch, g.table.live, g.options.searchListGrowth);
  const matches = g.index.search(
    query,
    Math.min(Math.max(want.fetch, pool, list), g.table.live),
    g.options.threads,
  );
  const slots: number[] = [];
  for (let i = 0; i < matches.keys.length && slots.length < pool; i++) {
    const slot = Number(matches.keys[i]);
    if (g.table.ids[slot] != null && want.accepts(slot)) slots.push(slot);
  }
  // Ascending slots let the reads merge runs of neighbouring photos (bursts, folders).
  slots.sort((a, b) => a - b);
  return exactScan(query, slots, k, g.table, g.file);
}

/** The vector scaled to length 1 (cosine on the graph, dot products on the f16 copy). */
export function normalise(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const v of vector) norm += v * v;
  const scale = 1 / Math.sqrt(norm);
  const out = new Float32Array(vector.length);
  for (let i = 0; i < vector.length; i++) out[i] = vector[i]! * scale;
  return out;
}
