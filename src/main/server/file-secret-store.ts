import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SecretStore } from '../core/ports';

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

  constructor(
    private readonly dataDir: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.file = join(dataDir, 'secrets.json');
  }

  describe(): string {
    return `a file only you can read (${this.file})`;
  }

  async get(name: string): Promise<string | null> {
    return secretFromEnvironment(name, this.env) ?? (await this.readAll())[name] ?? null;
  }

  async set(name: string, value: string | null): Promise<void> {
    const all = await this.readAll();
    if (value === null) delete all[name];
    else all[name] = value;
    await mkdir(this.dataDir, { recursive: true });
    // Write a private temp file and rename it over: never a moment where the secret is world-readable or half-written.
    const temp = `${this.file}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
    await chmod(temp, 0o600);
    await rename(temp, this.file);
  }

  private async readAll(): Promise<Record<string, string>> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
    try {
      const parsed = JSON.parse(text) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
        return Object.fromEntries(
          Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
        );
      }
    } catch {
      // fall through to the error below
    }
    throw new Error(
      `The secrets file ${this.file} is not valid JSON. Fix or delete it, then enter the API key again in Settings.`,
    );
  }
}
