import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Saves to one file wait for each other, in this process (other processes are kept out by the data directory lock). */
const saving = new Map<string, Promise<unknown>>();

/**
 * The JSON file of name -> value that both shells' secret stores keep (plain in browser mode,
 * keychain-sealed in the desktop app). A save is read-modify-write: without a lock, saving the
 * OpenAI key and the Milvus token at the same moment read the same old file and one of them was
 * lost. Each save waits for the previous one, and writes a private temp file renamed over the
 * old one, so there is never a moment where a secret is world-readable or half-written.
 */
export class SecretsFile {
  constructor(
    readonly file: string,
    /** The message when the file is there but not a JSON object of strings. */
    private readonly damaged: string,
  ) {}

  async read(): Promise<Record<string, string>> {
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
    throw new Error(this.damaged);
  }

  /** Applies `change` to the current contents and saves them, after any save already under way. */
  update(change: (all: Record<string, string>) => void): Promise<void> {
    const previous = saving.get(this.file) ?? Promise.resolve();
    const mine = previous.catch(() => {}).then(() => this.save(change));
    saving.set(this.file, mine);
    void mine
      .catch(() => {})
      .finally(() => {
        if (saving.get(this.file) === mine) saving.delete(this.file);
      });
    return mine;
  }

  private async save(change: (all: Record<string, string>) => void): Promise<void> {
    const all = await this.read();
    change(all);
    await mkdir(dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(temp, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
      await chmod(temp, 0o600);
      await rename(temp, this.file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }
}
