import { copyFileSync, linkSync } from 'node:fs';

/** Shared by the benchmarks: percentiles, a seeded random source, arguments, the RESULT line. */

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export { seededRandom } from '../scripts/seeded-random';

/** The last line of every benchmark. */
export function printResult(result: Record<string, unknown>): void {
  console.log(`RESULT ${JSON.stringify(result)}`);
}

/** `--name value` from the benchmark's arguments. */
export function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** A hard link where the file system allows (cached photos seen through a folder), else a copy. */
export function linkOrCopy(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}
