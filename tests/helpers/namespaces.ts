import { spawnSync } from 'node:child_process';

/**
 * Whether this machine lets a test lower the inotify watch limit inside its own Linux user
 * namespace (`/proc/sys/user/max_inotify_watches` there), so that the OS really runs out of
 * watches for the processes inside and nowhere else.
 */
export const canLowerWatchLimit =
  process.platform === 'linux' &&
  spawnSync('unshare', [
    '--user',
    '--map-root-user',
    'sh',
    '-c',
    'echo 2 > /proc/sys/user/max_inotify_watches',
  ]).status === 0;

/**
 * A command prefix that runs a program (`prefix..., program, args...`) in its own user
 * namespace allowed `watches` inotify watches in all.
 */
export function withWatchLimit(watches: number): string[] {
  return [
    'unshare',
    '--user',
    '--map-root-user',
    'sh',
    '-c',
    `echo ${Math.trunc(watches)} > /proc/sys/user/max_inotify_watches && exec "$0" "$@"`,
  ];
}
