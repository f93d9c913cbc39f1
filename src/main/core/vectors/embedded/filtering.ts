import type { VectorFilter, VectorHit } from '../port';
import type { SlotTable } from './entries';
import { HALF_TO_FLOAT } from './half';
import type { VectorFile } from './vector-file';

/** A filter compiled against the slot table: one cheap test per slot. */
export interface SlotFilter {
  accepts(slot: number): boolean;
  /** True when only excludeIds is set: no need to count matching slots. */
  excludeOnly: boolean;
  excluded: number;
}

export function compileFilter(filter: VectorFilter | undefined, table: SlotTable): SlotFilter | null {
  if (!filter) return null;
  const folders = filter.folderIds ? new Set(filter.folderIds) : null;
  const from = filter.from ?? null;
  const to = filter.to ?? null;
  const excluded = new Set<number>();
  for (const id of filter.excludeIds ?? []) {
    const slot = table.slotOf.get(id);
    if (slot !== undefined) excluded.add(slot);
  }
  if (!folders && from === null && to === null && excluded.size === 0) return null;
  const accepts = (slot: number): boolean => {
    if (table.ids[slot] === null || excluded.has(slot)) return false;
    if (folders) {
      const own = table.folders[slot];
      if (!own?.some((f) => folders.has(f))) return false;
    }
    if (from !== null || to !== null) {
      const taken = table.takenAt[slot];
      if (taken === null || taken === undefined) return false;
      if (from !== null && taken < from) return false;
      if (to !== null && taken > to) return false;
    }
    return true;
  };
  return { accepts, excludeOnly: !folders && from === null && to === null, excluded: excluded.size };
}

export function matchingSlots(filter: SlotFilter, table: SlotTable): number[] {
  const out: number[] = [];
  for (let slot = 0; slot < table.slots; slot++) if (filter.accepts(slot)) out.push(slot);
  return out;
}

let scratchBuffer = new Uint16Array(0);

/** One read buffer reused across searches: a fresh 4 MB per query made the GC stall searches. */
function scratch(length: number): Uint16Array {
  if (scratchBuffer.length < length) scratchBuffer = new Uint16Array(length);
  return scratchBuffer;
}

/**
 * Exact cosine over the given slots, reading their f16 vectors from disk in runs of
 * consecutive slots (photos of one folder are usually added together). `query` must be
 * normalised; stored vectors are.
 */
export function exactScan(
  query: Float32Array,
  slots: number[],
  k: number,
  table: SlotTable,
  file: VectorFile,
): VectorHit[] {
  const dim = query.length;
  const runMax = Math.max(1, Math.min(slots.length, Math.floor((4 << 20) / file.bytesPerVector)));
  const buffer = scratch(runMax * dim);
  const top: { slot: number; score: number }[] = [];
  let floor = -Infinity;
  let i = 0;
  while (i < slots.length) {
    let n = 1;
    while (i + n < slots.length && n < runMax && slots[i + n] === slots[i]! + n) n++;
    file.readRun(slots[i]!, n, buffer);
    for (let j = 0; j < n; j++) {
      let dot = 0;
      const base = j * dim;
      for (let d = 0; d < dim; d++) dot += query[d]! * HALF_TO_FLOAT[buffer[base + d]!]!;
      if (top.length < k || dot > floor) {
        top.push({ slot: slots[i + j]!, score: dot });
        if (top.length > k * 4) {
          top.sort((a, b) => b.score - a.score);
          top.length = k;
          floor = top[k - 1]!.score;
        }
      }
    }
    i += n;
  }
  top.sort((a, b) => b.score - a.score);
  return top.slice(0, k).map((hit) => ({ id: table.ids[hit.slot]!, score: hit.score }));
}
