import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KeychainSecretStore, type SafeStorageLike } from '../../src/main/secret-store';
import { openAiKeySecret } from '../../src/main/server/file-secret-store';

// Electron's safeStorage needs Electron and an OS keychain, neither of which exists here. This
// stand-in reverses bytes: enough to prove the store never writes the plain value and routes
// every read and write through the keychain, and refuses when the keychain is missing.
function keychain(available: boolean, backend = 'gnome_libsecret'): SafeStorageLike {
  return {
    isEncryptionAvailable: () => available,
    encryptString: (text) => Buffer.from(`sealed:${text}`).reverse(),
    decryptString: (buf) =>
      Buffer.from(buf)
        .reverse()
        .toString()
        .replace(/^sealed:/, ''),
    getSelectedStorageBackend: () => backend,
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'komorebi-keychain-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('KeychainSecretStore', () => {
  it('stores only the encrypted value, in a 0600 file, and reads it back', async () => {
    const store = new KeychainSecretStore(dir, keychain(true), {});
    await store.set(openAiKeySecret, 'sk-secret-42');
    expect(await store.get(openAiKeySecret)).toBe('sk-secret-42');
    const text = await readFile(store.file, 'utf8');
    expect(text).not.toContain('sk-secret-42');
    expect((await stat(store.file)).mode & 0o777).toBe(0o600);
    await store.set(openAiKeySecret, null);
    expect(await store.get(openAiKeySecret)).toBeNull();
  });

  it('refuses to store in plain text when no keychain is available, with a clear message', async () => {
    for (const store of [
      new KeychainSecretStore(dir, keychain(false), {}),
      new KeychainSecretStore(dir, keychain(true, 'basic_text'), {}),
    ]) {
      await expect(store.set(openAiKeySecret, 'sk-x')).rejects.toThrow(/no keychain.*OPENAI_API_KEY/);
    }
    await expect(readFile(join(dir, 'secrets.enc.json'), 'utf8')).rejects.toThrow();
  });

  it('saving the OpenAI key and the Milvus token at once keeps both (read-modify-write under a lock)', async () => {
    const store = new KeychainSecretStore(dir, keychain(true), {});
    await Promise.all([store.set(openAiKeySecret, 'sk-both'), store.set('milvus-token', 'root:Milvus')]);
    const again = new KeychainSecretStore(dir, keychain(true), {});
    expect(await again.get(openAiKeySecret)).toBe('sk-both');
    expect(await again.get('milvus-token')).toBe('root:Milvus');
  });

  it('lets OPENAI_API_KEY win for reading', async () => {
    const store = new KeychainSecretStore(dir, keychain(false), { OPENAI_API_KEY: 'sk-env' });
    expect(await store.get(openAiKeySecret)).toBe('sk-env');
  });
});
