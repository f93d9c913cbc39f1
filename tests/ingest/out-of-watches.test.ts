import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * The OS running out of inotify watches, for real: the fixture runs in a child process in
 * its own user namespace whose watch limit is set to 2, so the machine's limit (shared
 * with everything else running here) is never touched.
 */
const script = 'echo 2 > /proc/sys/user/max_inotify_watches && exec "$0" --import tsx "$1"';
const canLowerLimit =
  process.platform === 'linux' &&
  spawnSync('unshare', [
    '--user',
    '--map-root-user',
    'sh',
    '-c',
    'echo 2 > /proc/sys/user/max_inotify_watches',
  ]).status === 0;

describe('out of file watches', () => {
  it.skipIf(!canLowerLimit)(
    'falls back to polling the folder, records why, and still sees new files (needs Linux user namespaces)',
    async () => {
      const fixture = join(import.meta.dirname, 'fixtures', 'out-of-watches.ts');
      const { stdout } = await promisify(execFile)(
        'unshare',
        ['--user', '--map-root-user', 'sh', '-c', script, process.execPath, fixture],
        { timeout: 60_000, cwd: join(import.meta.dirname, '..', '..') },
      );
      const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
        problem: string | null;
        newFileSeen: boolean;
      };
      expect(result.problem).toMatch(
        /ran out of file watches \(ENOSPC\); Komorebi now checks this folder every 100 ms/,
      );
      expect(result.newFileSeen).toBe(true);
    },
  );
});
