import { join } from 'node:path';
import type { SecretStore } from '../core/ports';
import { SecretsFile } from '../secrets-file';

/** The secret name the core uses for the OpenAI API key. */
export const openAiKeySecret = 'openai-api-key';

/** Secrets the environment may provide; the environment wins, so a key never has to touch the disk. */
const environmentNames: Record<string, string> = { [openAiKeySecret]: 'OPENAI_API_KEY' };

export function secretFromEnvironment(name: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const variable = environmentNames[name];
  const value = variable ? env[variable]?.trim() : undefined;
  return value ? value : null;
}

/**
 * Browser mode's SecretStore: a JSON file readable by the user only (mode 0600) in the data
 * dir. There is no OS keychain to borrow without Electron; on a home server the file's
 * permissions are the protection, as with ~/.ssh keys.
 */
export class FileSecretStore implements SecretStore {
  readonly file: string;
  private readonly secrets: SecretsFile;

  constructor(
    dataDir: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.file = join(dataDir, 'secrets.json');
    this.secrets = new SecretsFile(
      this.file,
      `The secrets file ${this.file} is not valid JSON. Fix or delete it, then enter the API key again in Settings.`,
    );
  }

  describe(): string {
    return `a file only you can read (${this.file})`;
  }

  async get(name: string): Promise<string | null> {
    return secretFromEnvironment(name, this.env) ?? (await this.secrets.read())[name] ?? null;
  }

  async set(name: string, value: string | null): Promise<void> {
    await this.secrets.update((all) => {
      if (value === null) delete all[name];
      else all[name] = value;
    });
  }
}
