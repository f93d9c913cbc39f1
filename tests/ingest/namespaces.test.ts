import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { canLowerWatchLimit } from '../helpers/namespaces';

/**
 * OS situations a test cannot create in its own process without disturbing the machine:
 * each fixture runs in a child process inside its own Linux user namespace (and mount
 * namespace), where it may lower the inotify limit or mount a file system that only it sees.
 */
const repo = join(import.meta.dirname, '..', '..');
const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);
const can = (...args: string[]) => process.platform === 'linux' && spawnSync('unshare', args).status === 0;
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
    'out of file watches (ENOSPC): falls back to polling the folder, records why (Activity and the folder), still sees new files, and watches live again once the limit is raised',
    async () => {
      const result = await runIsolated(
        ['--user', '--map-root-user'],
        'echo 2 > /proc/sys/user/max_inotify_watches && exec "$0" --import tsx "$1"',
        fixture('out-of-watches.ts'),
      );
      expect(result.problem).toMatch(
        /ran out of file watches \(ENOSPC\): Komorebi now checks this folder for new and changed photos every 100 ms/,
      );
      expect(result.problem).toContain('`sudo sysctl fs.inotify.max_user_watches=524288`');
      // The folder's row in Settings carries the same note while it is polled.
      expect(result.watchNote).toBe(result.problem);
      expect(result.newFileSeen).toBe(true);
      // Tries of live watching while the limit is still too low change nothing.
      expect(result.stillPolledAfterRetries).toBe(true);
      // The limit raised, the folder is watched live again with no restart: the note goes and
      // a new photo arrives.
      expect(result.problem).toContain('tries to watch this folder live again every');
      expect(result.liveAgain).toBe(true);
      expect(result.seenWhenLive).toBe(true);
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

  it.skipIf(!canMount)(
    'a share mounted inside a watched folder, unmounted and rescanned, is offline, not gone; a mount point that is not empty is offline too',
    async () => {
      const result = await runIsolated(
        ['--user', '--map-root-user', '--mount'],
        'exec "$0" --import tsx "$1"',
        fixture('mount-inside-folder.ts'),
      );
      expect(result).toEqual({
        before: { photos: 4, card: 2 },
        nasKept: true,
        nasProblem: expect.stringMatching(
          /3 photos under .*nas were on a drive or network share that is not mounted now/,
        ),
        photosFolder: 'watching',
        cardKept: true,
        cardFolder: 'offline',
        collected: 0,
        photosKept: true,
        backOnline: true,
        cardSame: true,
      });
    },
  );
});
