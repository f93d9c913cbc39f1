import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../src/main/core/app';
import { DataDirInUseError, readHolder } from '../../src/main/core/library/data-dir-lock';
import { RecordingNotifier, tempDir } from '../helpers/temp';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function dataDir(): string {
  const t = tempDir('komorebi-lock-');
  cleanups.push(t.cleanup);
  return join(t.dir, 'data');
}

describe('the data directory lock', () => {
  it('a second core on a data directory in use is refused before it writes anything; closing the first lets it in', async () => {
    const dir = dataDir();
    const first = await createCore({
      dataDir: dir,
      shell: 'test',
      notifier: new RecordingNotifier(),
      autoStart: false,
    });
    cleanups.push(() => first.close());
    expect(readHolder(dir)).toMatchObject({ pid: process.pid, shell: 'test' });
    const second = createCore({
      dataDir: dir,
      shell: 'browser',
      notifier: new RecordingNotifier(),
      autoStart: false,
    });
    await expect(second).rejects.toBeInstanceOf(DataDirInUseError);
    await expect(second).rejects.toThrow(`process ${process.pid} (a test`);
    await first.close();
    expect(readHolder(dir)).toBeNull();
    const third = await createCore({
      dataDir: dir,
      shell: 'browser',
      notifier: new RecordingNotifier(),
      autoStart: false,
    });
    cleanups.push(() => third.close());
    expect(readHolder(dir)).toMatchObject({ pid: process.pid, shell: 'browser' });
  });
});
