import { mkdirSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import {
  createLibraryIngest,
  type LibraryIngest,
  type LibraryIngestOptions,
} from '../../src/main/core/ingest';
import type { PreviewThread } from '../../src/main/core/ingest/preview-thread';
import type { PreviewRequest } from '../../src/main/core/ingest/previews';
import { JobQueue } from '../../src/main/core/jobs/queue';
import { type Db, openDatabase } from '../../src/main/core/library/db';
import { queueIdle } from '../helpers/queue';
import { RecordingNotifier, tempDir } from '../helpers/temp';

export interface TestLibrary {
  /** Real path of a temp dir holding photos/ and data/. */
  root: string;
  photos: string;
  dataDir: string;
  thumbsDir: string;
  db: Db;
  queue: JobQueue;
  notifier: RecordingNotifier;
  ingest: LibraryIngest;
  /** Closes ingest, queue and database as a quit (or crash, with running jobs) would, then opens them again. */
  reopen(extra?: Partial<LibraryIngestOptions>): Promise<void>;
  close(): Promise<void>;
}

/** Short timings so tests finish quickly; the behaviour is the same as in the app. */
export const FAST = {
  offlineCheckMs: 100,
  // freshWriteMs 0: the broken files these tests write are judged at once.
  timings: { debounceMs: 30, stableMs: 100, pollIntervalMs: 100, freshWriteMs: 0 },
};

export async function openTestLibrary(extra: Partial<LibraryIngestOptions> = {}): Promise<TestLibrary> {
  const t = tempDir('komorebi-ingest-');
  const root = realpathSync(t.dir);
  const photos = join(root, 'photos');
  const dataDir = join(root, 'data');
  const thumbsDir = join(dataDir, 'thumbs');
  mkdirSync(photos, { recursive: true });
  mkdirSync(thumbsDir, { recursive: true });
  const lib = { root, photos, dataDir, thumbsDir } as TestLibrary;
  let closed = true;
  const open = (more: Partial<LibraryIngestOptions>) => {
    lib.db = openDatabase(join(dataDir, 'library.db'));
    lib.notifier = new RecordingNotifier();
    lib.queue = new JobQueue(lib.db, lib.notifier);
    lib.ingest = createLibraryIngest({
      db: lib.db,
      queue: lib.queue,
      notifier: lib.notifier,
      dataDir,
      thumbsDir,
      ...FAST,
      ...extra,
      ...more,
    });
    closed = false;
  };
  const shut = async () => {
    if (closed) return;
    closed = true;
    await lib.ingest.close();
    await lib.queue.close();
    lib.db.close();
  };
  lib.reopen = async (more = {}) => {
    await shut();
    open(more);
  };
  lib.close = async () => {
    await shut();
    t.cleanup();
  };
  open({});
  return lib;
}

/** Starts everything and waits until the queue has nothing left. */
export async function startAndSettle(lib: TestLibrary): Promise<void> {
  await lib.ingest.start();
  lib.queue.start();
  await lib.ingest.watching();
  await queueIdle(lib.queue);
}

/** Polls until `check` returns a truthy value (events are asynchronous; no timing is asserted). */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 15_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface FileRowView {
  path: string;
  hash: string | null;
  status: string;
  error: string | null;
  folder_id: number;
  sort_date: number;
}

export function fileRow(db: Db, path: string): FileRowView | undefined {
  return db
    .prepare('SELECT path, hash, status, error, folder_id, sort_date FROM files WHERE path = ?')
    .get(path) as FileRowView | undefined;
}

export function count(db: Db, sql: string, ...args: unknown[]): number {
  return (db.prepare(sql).get(...args) as { n: number }).n;
}

export type Format = 'jpeg' | 'png' | 'webp' | 'gif' | 'avif' | 'tiff';

/**
 * Writes a real image. `seed` varies the pixels (a gradient + a block) so that each image
 * has its own content hash.
 */
export async function writeImage(
  path: string,
  opts: {
    width?: number;
    height?: number;
    seed?: number;
    format?: Format;
    orientation?: number;
    exif?: Record<string, Record<string, string>>;
  } = {},
): Promise<string> {
  const width = opts.width ?? 96;
  const height = opts.height ?? 64;
  const seed = opts.seed ?? 1;
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const block = x < width / 3 && y < height / 2 ? 200 : 0;
      pixels[i] = (x * 255) / width + seed * 37;
      pixels[i + 1] = (y * 255) / height + seed * 11;
      pixels[i + 2] = (seed * 53 + block) & 255;
    }
  }
  mkdirSync(dirname(path), { recursive: true });
  let img = sharp(pixels, { raw: { width, height, channels: 3 } });
  const format = opts.format ?? 'jpeg';
  img = img.toFormat(format, format === 'avif' ? { effort: 0 } : {});
  if (opts.orientation) img = img.withMetadata({ orientation: opts.orientation });
  if (opts.exif) img = img.withExifMerge(opts.exif);
  await img.toFile(path);
  return path;
}

/**
 * Makes requests (`next()` each time) until the preview thread has loaded: until then they run
 * on the calling thread, so a test that means the thread must wait for it.
 */
export async function untilPreviewThreadReady(t: PreviewThread, next: () => PreviewRequest): Promise<void> {
  for (let i = 0; i < 400; i++) {
    await t.make(next());
    if ((t as unknown as { ready: boolean }).ready) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('The preview thread never became ready.');
}
