import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const repo = join(import.meta.dirname, '..', '..', '..');

/** Whether this machine lets a test mount a tmpfs in its own user namespace. */
export const canMount =
  process.platform === 'linux' &&
  spawnSync('unshare', ['--user', '--map-root-user', '--mount', 'sh', '-c', 'mount -t tmpfs none /mnt'])
    .status === 0;

/**
 * Runs a fixture script in a child process inside its own user + mount namespace (where it
 * may mount file systems only it sees) and returns the JSON of its last line.
 */
export async function runInNamespace(
  fixture: string,
  args: string[],
  opts: { shell?: string; timeoutMs?: number } = {},
): Promise<Record<string, unknown>> {
  const shell = opts.shell ?? 'exec "$0" --import tsx "$@"';
  const { stdout } = await promisify(execFile)(
    'unshare',
    ['--user', '--map-root-user', '--mount', 'sh', '-c', shell, process.execPath, fixture, ...args],
    { timeout: opts.timeoutMs ?? 600_000, cwd: repo, maxBuffer: 16 * 1024 * 1024 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
}
