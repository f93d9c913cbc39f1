/**
 * `npm run bench -- library [--rows 100000]`: a library of 100,000 photo rows spread over
 * years and folders (thumbnails for a few hundred), then `photos:list` page latency
 * anywhere in the library, `photos:timeline`, the core's start time and its memory.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { createCore, dataPaths } from '../src/main/core/app';
import { thumbPaths } from '../src/main/core/ingest/thumbnails';
import { openDatabase } from '../src/main/core/library/db';
import { argValue, percentile, printResult, seededRandom } from './_util';

export async function run(args: string[]): Promise<void> {
  const rows = Number(argValue(args, '--rows') ?? 100_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'komorebi-bench-library-'));
  const photosRoot = mkdtempSync(join(tmpdir(), 'komorebi-bench-photos-'));
  try {
    const t0 = performance.now();
    seedLibrary(dataDir, photosRoot, rows);
    await seedThumbnails(dataDir, 300);
    console.log(`seeded ${rows} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const rssBefore = process.memoryUsage().rss;
    const startAt = performance.now();
    const core = await createCore({
      dataDir,
      shell: 'test',
      notifier: { emit: () => {} },
      // The rows point at files that do not exist: a scan would rightly remove them, so the
      // background work stays off and the start measured is opening the library and serving.
      autoStart: false,
    });
    await core.handlers['library:status']({});
    const startMs = performance.now() - startAt;

    const rand = seededRandom(7);
    const times: number[] = [];
    for (let i = 0; i < 400; i++) {
      const offset = Math.floor(rand() * (rows - 200));
      const s = performance.now();
      const page = await core.handlers['photos:list']({ offset, limit: 200 });
      times.push(performance.now() - s);
      if (page.items.length !== 200) throw new Error(`short page at ${offset}`);
    }
    const folderTimes: number[] = [];
    for (let i = 0; i < 100; i++) {
      const offset = Math.floor(rand() * 2000);
      const s = performance.now();
      await core.handlers['photos:list']({ offset, limit: 200, folderIds: [1 + (i % 10)] });
      folderTimes.push(performance.now() - s);
    }
    const tl = performance.now();
    const timeline = await core.handlers['photos:timeline']({});
    const timelineMs = performance.now() - tl;
    const rssMb = process.memoryUsage().rss / 1024 / 1024;
    await core.close();

    const result = {
      rows,
      list_p50_ms: round(percentile(times, 50)),
      list_p95_ms: round(percentile(times, 95)),
      folder_list_p95_ms: round(percentile(folderTimes, 95)),
      timeline_ms: round(timelineMs),
      months: timeline.months.length,
      start_ms: round(startMs),
      rss_mb: round(rssMb),
      rss_growth_mb: round(rssMb - rssBefore / 1024 / 1024),
    };
    console.log(
      `photos:list (200 per page, random offsets): p50 ${result.list_p50_ms} ms, p95 ${result.list_p95_ms} ms`,
    );
    console.log(
      `photos:list in one folder: p95 ${result.folder_list_p95_ms} ms; timeline: ${result.timeline_ms} ms`,
    );
    console.log(`core start: ${result.start_ms} ms; RSS ${result.rss_mb} MB`);
    printResult(result);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(photosRoot, { recursive: true, force: true });
  }
}

/** Rows as ingest would write them: ten folders, dates spread over twelve years. */
export function seedLibrary(dataDir: string, photosRoot: string, rows: number): void {
  const db = openDatabase(dataPaths(dataDir).database);
  const rand = seededRandom(42);
  const now = Date.now();
  const insertFolder = db.prepare(
    "INSERT INTO folders (id, path, added_at, status) VALUES (?, ?, ?, 'watching')",
  );
  const insertPhoto = db.prepare(
    `INSERT INTO photos (hash, size, width, height, format, taken_at, camera, thumb_state, created_at)
     VALUES (?, ?, 4000, 3000, 'jpeg', ?, 'Bench Camera', 'pending', ?)`,
  );
  const insertFile = db.prepare(
    `INSERT INTO files (folder_id, path, hash, size, mtime, status, sort_date, added_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 'ok', ?, ?, ?)`,
  );
  db.transaction(() => {
    for (let f = 1; f <= 10; f++) {
      const dir = join(photosRoot, `folder-${f}`);
      mkdirSync(dir, { recursive: true });
      insertFolder.run(f, dir, now);
    }
    for (let i = 0; i < rows; i++) {
      const hash = i.toString(16).padStart(64, '0');
      const folder = 1 + Math.floor(rand() * 10);
      const taken = now - Math.floor(rand() * 12 * 365 * 86_400_000);
      const size = 3_000_000 + Math.floor(rand() * 4_000_000);
      insertPhoto.run(hash, size, taken, now);
      insertFile.run(
        folder,
        join(photosRoot, `folder-${folder}`, `IMG_${i}.jpg`),
        hash,
        size,
        taken,
        taken,
        now,
        now,
      );
    }
  })();
  db.close();
}

async function seedThumbnails(dataDir: string, count: number): Promise<void> {
  const db = openDatabase(dataPaths(dataDir).database);
  const thumbs = dataPaths(dataDir).thumbs;
  const img = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#3a6' } })
    .webp()
    .toBuffer();
  const mark = db.prepare("UPDATE photos SET thumb_state = 'done' WHERE hash = ?");
  for (let i = 0; i < count; i++) {
    const hash = i.toString(16).padStart(64, '0');
    const rel = thumbPaths(hash, 'webp').small.replace(/^thumbs\//, '');
    mkdirSync(join(thumbs, rel, '..'), { recursive: true });
    await sharp(img).toFile(join(thumbs, rel));
    mark.run(hash);
  }
  db.close();
}

const round = (n: number) => Math.round(n * 100) / 100;
