import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultDataDir } from '../../src/main/core/default-data-dir';
import { FileSecretStore, openAiKeySecret } from '../../src/main/server/file-secret-store';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'komorebi-secrets-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('FileSecretStore', () => {
  it('stores a secret in a user-only (0600) file and reads it back, and forgets it on null', async () => {
    const store = new FileSecretStore(join(dir, 'data'), {});
    expect(await store.get(openAiKeySecret)).toBeNull();
    await store.set(openAiKeySecret, 'sk-test-123');
    expect(await store.get(openAiKeySecret)).toBe('sk-test-123');
    expect((await stat(store.file)).mode & 0o777).toBe(0o600);
    expect(await new FileSecretStore(join(dir, 'data'), {}).get(openAiKeySecret)).toBe('sk-test-123');
    await store.set(openAiKeySecret, null);
    expect(await store.get(openAiKeySecret)).toBeNull();
    expect(await readFile(store.file, 'utf8')).not.toContain('sk-test-123');
  });

  it('lets OPENAI_API_KEY in the environment win for reading', async () => {
    const store = new FileSecretStore(dir, { OPENAI_API_KEY: 'sk-from-env' });
    await store.set(openAiKeySecret, 'sk-from-file');
    expect(await store.get(openAiKeySecret)).toBe('sk-from-env');
    expect(await store.get('something-else')).toBeNull();
  });

  it('saving the OpenAI key and the Milvus token at once keeps both (read-modify-write under a lock)', async () => {
    const store = new FileSecretStore(dir, {});
    await Promise.all([store.set(openAiKeySecret, 'sk-both'), store.set('milvus-token', 'root:Milvus')]);
    const again = new FileSecretStore(dir, {});
    expect(await again.get(openAiKeySecret)).toBe('sk-both');
    expect(await again.get('milvus-token')).toBe('root:Milvus');
  });

  it('names the file and what to do when it is corrupt', async () => {
    const store = new FileSecretStore(dir, {});
    await writeFile(store.file, '{not json');
    await expect(store.get(openAiKeySecret)).rejects.toThrow(/secrets\.json is not valid JSON.*delete it/);
  });
});

describe('defaultDataDir', () => {
  it('prefers KOMOREBI_DATA_DIR, else the OS app-data folder', () => {
    expect(defaultDataDir({ KOMOREBI_DATA_DIR: '/srv/komorebi' }, 'linux', '/home/u')).toBe('/srv/komorebi');
    expect(defaultDataDir({}, 'linux', '/home/u')).toBe('/home/u/.config/Komorebi');
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/x/cfg' }, 'linux', '/home/u')).toBe('/x/cfg/Komorebi');
    expect(defaultDataDir({ XDG_CONFIG_HOME: 'relative' }, 'linux', '/home/u')).toBe(
      '/home/u/.config/Komorebi',
    );
    expect(defaultDataDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/Komorebi');
    expect(defaultDataDir({ APPDATA: '/appdata' }, 'win32', '/u')).toMatch(/appdata[\\/]Komorebi$/);
  });
});
