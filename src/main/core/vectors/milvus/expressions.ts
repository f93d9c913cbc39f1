import type { VectorFilter } from '../port';

/**
 * Lite cannot store nulls, so "no capture date" is this sentinel; any real date range
 * excludes it, which is what the port promises.
 */
export const NO_DATE = -9_007_199_254_740_991;

/** A Milvus string literal (double quotes; backslash and quote escaped). */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function integer(value: number, what: string): string {
  if (!Number.isFinite(value)) throw new TypeError(`${what} must be a finite number`);
  return String(Math.trunc(value));
}

/**
 * The filter as a Milvus boolean expression, pushed down to the server; '' means no filter.
 * Returns null when nothing can match (an empty folder list), so no request is made.
 */
export function filterExpression(filter: VectorFilter | undefined): string | null {
  if (!filter) return '';
  const parts: string[] = [];
  if (filter.folderIds) {
    if (filter.folderIds.length === 0) return null;
    parts.push(
      `array_contains_any(folder_ids, [${filter.folderIds.map((f) => integer(f, 'folder id')).join(', ')}])`,
    );
  }
  if (filter.from !== undefined || filter.to !== undefined) {
    parts.push(`taken_at > ${NO_DATE}`);
    if (filter.from !== undefined) parts.push(`taken_at >= ${integer(Math.ceil(filter.from), 'from')}`);
    if (filter.to !== undefined) parts.push(`taken_at <= ${integer(Math.floor(filter.to), 'to')}`);
  }
  if (filter.excludeIds && filter.excludeIds.length > 0) {
    parts.push(`id not in [${filter.excludeIds.map(quote).join(', ')}]`);
  }
  return parts.join(' and ');
}
