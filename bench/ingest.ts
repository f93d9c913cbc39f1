/**
 * `npm run bench -- ingest [--photos 500] [--drops 50]`
 * 1. files_per_s: a folder of real-size JPEGs (12 MP, all different) added to an empty
 *    library: scan + hash + EXIF + both thumbnails, until the last thumbnail is written.
 *    Baseline in the same run: the same files read and hashed only (`hash_only_files_per_s`),
 *    and the thumbnails alone as ingest makes them (`thumbs_only_files_per_s`: one decode,
 *    the current preview encoding), so the figure is read as a ratio.
 * 2. visible_p50/p95_ms: on the idle library, a new file copied into the watched folder
 *    until `photos:list` shows it with its thumbnail (what the gallery waits for).
 * Embedding is left out (no model offered) so the figures are ingest's own.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createCore } from '../src/main/core/app';
import { DEFAULT_MAX_PIXELS } from '../src/main/core/ingest/image-info';
import { makeThumbnails } from '../src/main/core/ingest/thumbnails';
import { waitUntilSettled } from '../tests/helpers/settle';
import { photoSet } from './_photos';
import { argValue, linkOrCopy, percentile, printResult } from './_util';

export async function run(args: string[]): Promise<void> {
  const count = Number(argValue(args, '--photos') ?? 500);
  const drops = Number(argValue(args, '--drops') ?? 50);
  console.log(`preparing ${count + drops} distinct 12 MP JPEGs (cached in bench/.cache)...`);
  const files = await photoSet('ingest-12mp', count + drops);
  const library = files.slice(0, count);
  const dropped = files.slice(count);

  const root = mkdtempSync(join(tmpdir(), 'komorebi-bench-ingest-'));
  const photos = join(root, 'photos');
  const dataDir = join(root, 'data');
  const noModels = mkdtempSync(join(tmpdir(), 'komorebi-bench-nomodels-'));
  try {
    // Hard links where the file system allows: the cached files seen through a watched folder.
    mkdirSync(photos, { recursive: true });
    for (const f of library) linkOrCopy(f, join(photos, basename(f)));

    const hashOnly = await timed(async () => {
      for (const f of library) createHash('sha256').update(readFileSync(f)).digest('hex');
    });
    // The previews alone, made as ingest makes them (one decode, the current encoding, files written).
    const thumbsDir = join(root, 'thumbs-only');
    const thumbsOnly = await timed(async () => {
      await Promise.all(
        [0, 1, 2, 3].map(async (w) => {
          for (let i = w; i < library.length; i += 4) {
            await makeThumbnails(
              library[i]!,
              `bench${String(i).padStart(60, '0')}`,
              thumbsDir,
              DEFAULT_MAX_PIXELS,
            );
          }
        }),
      );
    });

    const core = await createCore({
      dataDir,
      shell: 'test',
      notifier: { emit: () => {} },
      manifestDir: noModels,
    });
    const ingestSeconds = await timed(async () => {
      await core.handlers['folders:add']({ path: photos });
      await waitUntilSettled(core);
    });
    const page = await core.handlers['photos:list']({ offset: 0, limit: 1 });
    if (page.total !== count) throw new Error(`expected ${count} photos in the gallery, found ${page.total}`);

    const visible: number[] = [];
    for (const f of dropped) {
      const target = join(photos, `drop-${basename(f)}`);
      const start = performance.now();
      copyFileSync(f, target);
      for (;;) {
        const newest = (await core.handlers['photos:list']({ offset: 0, limit: 3 })).items;
        if (newest.some((p) => p.path === target && p.thumb !== null)) break;
        await new Promise((r) => setTimeout(r, 5));
        if (performance.now() - start > 30_000) throw new Error(`${target} never appeared`);
      }
      visible.push(performance.now() - start);
      await waitUntilSettled(core);
    }
    await core.close();

    const result = {
      photos: count,
      files_per_s: round(count / ingestSeconds),
      hash_only_files_per_s: round(count / hashOnly),
      thumbs_only_files_per_s: round(count / thumbsOnly),
      ratio_to_thumbs_only: round(count / ingestSeconds / (count / thumbsOnly)),
      visible_p50_ms: round(percentile(visible, 50)),
      visible_p95_ms: round(percentile(visible, 95)),
      drops,
    };
    console.log(
      `ingest: ${result.files_per_s} files/s (scan + hash + EXIF + 2 thumbnails, ${count} x 12 MP)`,
    );
    console.log(
      `baseline: hash only ${result.hash_only_files_per_s} files/s; thumbnails only ${result.thumbs_only_files_per_s} files/s`,
    );
    console.log(
      `new file visible with its thumbnail: p50 ${result.visible_p50_ms} ms, p95 ${result.visible_p95_ms} ms (${drops} drops)`,
    );
    printResult(result);
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(noModels, { recursive: true, force: true });
  }
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await fn();
  return (performance.now() - start) / 1000;
}

const round = (n: number) => Math.round(n * 100) / 100;
