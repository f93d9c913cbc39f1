import { join } from 'node:path';
import type { SecretStore } from './core/ports';
import { SecretsFile } from './secrets-file';
import { secretFromEnvironment } from './server/file-secret-store';

/** The part of Electron's safeStorage this store uses (structural, so tests run without Electron). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: 'basic_text' means no keyring, i.e. a hard-coded key. */
  getSelectedStorageBackend?(): string;
}

/**
 * The Electron shell's SecretStore: values encrypted with the OS keychain (safeStorage) in
 * `<dataDir>/secrets.enc.json`. Where no keychain is available it refuses to store rather than
 * write the key in the clear; OPENAI_API_KEY in the environment still works and wins for reading.
 */
export class KeychainSecretStore implements SecretStore {
  readonly file: string;
  private readonly secrets: SecretsFile;

  constructor(
    dataDir: string,
    private readonly safeStorage: SafeStorageLike,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.file = join(dataDir, 'secrets.enc.json');
    this.secrets = new SecretsFile(
      this.file,
      `The secrets file ${this.file} is damaged. Delete it, then enter the API key again in Settings.`,
    );
  }

  describe(): string {
    return 'encrypted by the system keychain';
  }

  async get(name: string): Promise<string | null> {
    const fromEnv = secretFromEnvironment(name, this.env);
    if (fromEnv) return fromEnv;
    const sealed = (await this.secrets.read())[name];
    if (!sealed) return null;
    if (!this.canEncrypt()) throw this.noKeychainError('read');
    try {
      return this.safeStorage.decryptString(Buffer.from(sealed, 'base64'));
    } catch {
      throw new Error(
        `The saved ${name} in ${this.file} cannot be decrypted (the system keychain changed?). Enter it again in Settings.`,
      );
    }
  }

  async set(name: string, value: string | null): Promise<void> {
    if (value !== null && !this.canEncrypt()) throw this.noKeychainError('save');
    const sealed = value === null ? null : this.safeStorage.encryptString(value).toString('base64');
    await this.secrets.update((all) => {
      if (sealed === null) delete all[name];
      else all[name] = sealed;
    });
  }

  private canEncrypt(): boolean {
    if (!this.safeStorage.isEncryptionAvailable()) return false;
    return this.safeStorage.getSelectedStorageBackend?.() !== 'basic_text';
  }

  private noKeychainError(action: 'read' | 'save'): Error {
    return new Error(
      `Komorebi cannot ${action} the API key: this system has no keychain to encrypt it with ` +
        '(on Linux, install and unlock GNOME Keyring or KWallet). ' +
        'Meanwhile, start Komorebi with the OPENAI_API_KEY environment variable set.',
    );
  }
}
