import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * OS situations a test cannot create in its own process without disturbing the machine:
 * each fixture runs in a child process inside its own Linux user namespace (and mount
 * namespace), where it may lower the inotify limit or mount a file system that only it sees.
 */
const repo = join(import.meta.dirname, '..', '..');
const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);
const can = (...args: string[]) => process.platform === 'linux' && spawnSync('unshare', args).status === 0;
const canLowerWatchLimit = can(
  '--user',
  '--map-root-user',
  'sh',
  '-c',
  'echo 2 > /proc/sys/user/max_inotify_watches',
);
const canMount = can('--user', '--map-root-user', '--mount', 'sh', '-c', 'mount -t tmpfs none /mnt');

async function runIsolated(
  unshareArgs: string[],
  shell: string,
  file: string,
): Promise<Record<string, unknown>> {
  const { stdout } = await promisify(execFile)(
    'unshare',
    [...unshareArgs, 'sh', '-c', shell, process.execPath, file],
    { timeout: 60_000, cwd: repo },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
}

describe('in an isolated Linux namespace', () => {
  it.skipIf(!canLowerWatchLimit)(
    'out of file watches (ENOSPC): falls back to polling the folder, records why, and still sees new files',
    async () => {
      const result = await runIsolated(
        ['--user', '--map-root-user'],
        'echo 2 > /proc/sys/user/max_inotify_watches && exec "$0" --import tsx "$1"',
        fixture('out-of-watches.ts'),
      );
      expect(result.problem).toMatch(
        /ran out of file watches \(ENOSPC\); Komorebi now checks this folder every 100 ms/,
      );
      expect(result.newFileSeen).toBe(true);
    },
  );

  it.skipIf(!canMount)(
    'an unplugged drive whose mount point stays as an empty folder is offline, not emptied; plugged back, nothing is lost',
    async () => {
      const result = await runIsolated(
        ['--user', '--map-root-user', '--mount'],
        'exec "$0" --import tsx "$1"',
        fixture('unplugged-drive.ts'),
      );
      expect(result).toEqual({
        filesBefore: 3,
        offlineSeen: true,
        keptWhileOffline: true,
        backOnline: true,
        sameIdentity: true,
      });
    },
  );
});
