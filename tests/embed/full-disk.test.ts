// A full disk while ResNet-50 is converted: run in a child process inside its own Linux user and
// mount namespace, where the models folder can be a small tmpfs (fixtures/full-disk.ts).
import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '..', '..');
const canMount =
  process.platform === 'linux' &&
  spawnSync('unshare', ['--user', '--map-root-user', '--mount', 'sh', '-c', 'mount -t tmpfs none /mnt'])
    .status === 0;
if (!canMount)
  console.warn('Skipped the full-disk test: this machine cannot make a user + mount namespace (unshare).');

describe('a full disk during the conversion', () => {
  it.skipIf(!canMount)(
    'keeps the offline model active, says so, leaves no partial model and keeps the download for a retry',
    { timeout: 180_000 },
    async () => {
      const { stdout } = await promisify(execFile)(
        'unshare',
        [
          '--user',
          '--map-root-user',
          '--mount',
          process.execPath,
          '--import',
          'tsx',
          join('tests', 'embed', 'fixtures', 'full-disk.ts'),
        ],
        { timeout: 170_000, cwd: repo, maxBuffer: 1 << 24 },
      );
      const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
      expect(result.activeBefore).toBe('mobilenet-v2-offline');
      expect(result.steps).toEqual(['downloading', 'converting', 'failed']);
      expect(result.error).toMatch(
        /There is not enough free space in .*models to write the model file of "ResNet-50 \(timm, ImageNet\)" \(94 MB\)\. Nothing was changed: the model in use stays active\./,
      );
      expect(result.activeAfter).toBe('mobilenet-v2-offline');
      expect(result.left).toEqual(['resnet50-a1-in1k.safetensors']);
    },
  );
});
