import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { queueIdle } from '../helpers/queue';
import {
  count,
  FAST,
  fileRow,
  openTestLibrary,
  startAndSettle,
  type TestLibrary,
  waitFor,
  writeImage,
} from './helpers';

const libs: TestLibrary[] = [];
afterEach(async () => {
  for (const l of libs.splice(0)) await l.close();
});

/** A real, tiny PNG whose header declares 100,000 x 100,000 pixels: decoding it would need 30 GB. */
async function writePngBomb(path: string): Promise<void> {
  await writeImage(path, { format: 'png', width: 16, height: 16 });
  const png = readFileSync(path);
  // IHDR data starts at byte 16 (8 signature + 4 length + 4 type); its CRC covers type + data.
  png.writeUInt32BE(100_000, 16);
  png.writeUInt32BE(100_000, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)) >>> 0, 29);
  writeFileSync(path, png);
}

describe('files that are not usable photos', () => {
  it('each gets status bad with a readable reason, a problem row and an activity event', async () => {
    const lib = await openTestLibrary();
    libs.push(lib);
    const p = lib.photos;
    await writeImage(join(p, 'good.jpg'), { seed: 1 });
    writeFileSync(join(p, 'empty.jpg'), '');
    const whole = readFileSync(await writeImage(join(p, 'whole.jpg'), { seed: 2, width: 320, height: 240 }));
    writeFileSync(join(p, 'truncated.jpg'), whole.subarray(0, Math.floor(whole.length / 2)));
    writeFileSync(join(p, 'letter.jpg'), 'Dear diary, this is text with a photo name.');
    await writePngBomb(join(p, 'bomb.png'));
    execFileSync('mkfifo', [join(p, 'pipe.jpg')]); // reading it would block forever

    await lib.ingest.addFolder(p);
    await startAndSettle(lib);

    const reason = (name: string) => {
      const row = fileRow(lib.db, join(p, name));
      expect(row?.status, name).toBe('bad');
      expect(row?.hash, name).toBeNull();
      return row?.error ?? '';
    };
    expect(fileRow(lib.db, join(p, 'good.jpg'))?.status).toBe('ok');
    expect(fileRow(lib.db, join(p, 'whole.jpg'))?.status).toBe('ok');
    expect(reason('empty.jpg')).toBe('The file is empty (0 bytes)');
    expect(reason('truncated.jpg')).toMatch(/^The image data is truncated or corrupt/);
    expect(reason('letter.jpg')).toBe('Not an image: the file content is not a supported image format');
    expect(reason('bomb.png')).toMatch(
      /image bomb: it declares 100000 x 100000 pixels \(10000\.0 MP\), over the limit of 268\.4 MP/,
    );
    expect(reason('pipe.jpg')).toMatch(/^Not a regular file/);

    const problems = lib.db
      .prepare("SELECT path, reason FROM problems WHERE kind = 'file' ORDER BY path")
      .all() as { path: string }[];
    expect(problems.map((r) => r.path.slice(p.length + 1))).toEqual([
      'bomb.png',
      'empty.jpg',
      'letter.jpg',
      'pipe.jpg',
      'truncated.jpg',
    ]);
    const events = lib.notifier.of('activity:problem').map((e) => e.path.slice(p.length + 1));
    expect(new Set(events)).toEqual(
      new Set(['bomb.png', 'empty.jpg', 'letter.jpg', 'pipe.jpg', 'truncated.jpg']),
    );
    // Bad files never become photos, and have no thumbnails.
    expect(count(lib.db, 'SELECT count(*) AS n FROM photos')).toBe(2);

    // A rescan leaves unchanged bad files alone; fixing one brings it in and clears its problem.
    writeFileSync(join(p, 'truncated.jpg'), whole);
    lib.ingest.rescan(lib.ingest.listFolders()[0]!.id);
    await queueIdle(lib.queue);
    expect(fileRow(lib.db, join(p, 'truncated.jpg'))).toMatchObject({ status: 'ok', error: null });
    expect(count(lib.db, 'SELECT count(*) AS n FROM problems WHERE path = ?', join(p, 'truncated.jpg'))).toBe(
      0,
    );
    // Same bytes as whole.jpg: one photo, two files.
    expect(count(lib.db, 'SELECT count(*) AS n FROM photos')).toBe(2);
  });

  it('a freshly written broken file is judged once it has settled, and then reported', async () => {
    const lib = await openTestLibrary({ timings: { ...FAST.timings, freshWriteMs: 500 } });
    libs.push(lib);
    writeFileSync(join(lib.photos, 'arriving.jpg'), 'not (yet?) an image');
    await lib.ingest.addFolder(lib.photos);
    await startAndSettle(lib);
    await waitFor(() => fileRow(lib.db, join(lib.photos, 'arriving.jpg'))?.status === 'bad', 'the verdict');
    expect(fileRow(lib.db, join(lib.photos, 'arriving.jpg'))?.error).toBe(
      'Not an image: the file content is not a supported image format',
    );
    expect(lib.notifier.of('activity:problem').map((e) => e.path)).toEqual([
      join(lib.photos, 'arriving.jpg'),
    ]);
  });

  it('the pixel limit is configurable', async () => {
    const lib = await openTestLibrary({ maxPixels: 100_000 });
    libs.push(lib);
    await writeImage(join(lib.photos, 'big.png'), { format: 'png', width: 640, height: 480 });
    await writeImage(join(lib.photos, 'small.png'), { format: 'png', width: 300, height: 300 });
    await lib.ingest.addFolder(lib.photos);
    await startAndSettle(lib);
    expect(fileRow(lib.db, join(lib.photos, 'big.png'))?.error).toMatch(
      /image bomb: it declares 640 x 480 pixels \(0\.3 MP\), over the limit of 0\.1 MP/,
    );
    expect(fileRow(lib.db, join(lib.photos, 'small.png'))?.status).toBe('ok');
  });
});
