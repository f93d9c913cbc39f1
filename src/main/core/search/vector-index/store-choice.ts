import { normalEndpoint } from '../../../../shared/endpoints';
import type { StoreConfig } from '../../../../shared/store-config';
import type { Db } from '../../library/db';
import { SettingsStore } from '../../library/settings';
import type { SecretStore } from '../../ports';
import type { Redactor } from '../../redact';

const TOKEN_SECRET = 'milvus-token';

type MilvusConfig = Extract<StoreConfig, { kind: 'milvus' }>;

/** A Milvus server's address and credentials, as the store factory connects to it. */
export interface MilvusConnection {
  uri: string;
  token: string | undefined;
  tls: boolean | undefined;
}

/** The saved token and the server it was given for: `{ "uri": "...", "token": "..." }`. */
interface SavedToken {
  uri: string;
  token: string;
}

/**
 * The vector store the user chose (Settings), kept in the settings table, and its Milvus
 * token, kept in the secret store (Electron: encrypted by the OS) and never in the database.
 * The token is saved with the server it was typed for and goes to that server only: a
 * configuration with another URI and no token of its own connects without one (decision 0032).
 */
export class StoreChoice {
  private readonly settings: SettingsStore;

  constructor(
    db: Db,
    private readonly secrets: SecretStore | undefined,
    private readonly redactor: Redactor,
  ) {
    this.settings = new SettingsStore(db);
  }

  current(): StoreConfig {
    return this.settings.get('vectors.store') ?? { kind: 'embedded' };
  }

  /**
   * Saves the choice. A token given with it is kept for its URI; the same server saved again
   * without one keeps the token it has; any other choice forgets it.
   */
  async save(config: StoreConfig): Promise<void> {
    if (this.secrets) {
      if (config.kind === 'milvus') {
        const token = config.token?.trim();
        const uri = normalEndpoint(config.uri);
        const saved = await this.saved();
        if (token) await this.secrets.set(TOKEN_SECRET, JSON.stringify({ uri, token } satisfies SavedToken));
        else if (saved?.uri !== uri) await this.secrets.set(TOKEN_SECRET, null);
      } else {
        await this.secrets.set(TOKEN_SECRET, null);
      }
    }
    if (config.kind === 'milvus') {
      config = { kind: 'milvus', uri: config.uri, ...(config.tls === undefined ? {} : { tls: config.tls }) };
    }
    this.settings.set('vectors.store', config);
  }

  /** Where a Milvus configuration connects: its own token, else the one saved for that same URI. */
  async connection(config: MilvusConfig): Promise<MilvusConnection> {
    const own = config.token?.trim();
    this.redactor.remember(own);
    const saved = own ? null : await this.saved();
    const token = own || (saved && saved.uri === normalEndpoint(config.uri) ? saved.token : undefined);
    return { uri: config.uri, token, tls: config.tls };
  }

  /**
   * The saved token. An earlier version saved it bare, for the Milvus server chosen then:
   * it is read as that server's, so it still works there and nowhere else.
   */
  private async saved(): Promise<SavedToken | null> {
    const raw = await this.secrets?.get(TOKEN_SECRET);
    if (!raw) return null;
    let saved: SavedToken | null = null;
    try {
      const parsed = JSON.parse(raw) as Partial<SavedToken>;
      if (typeof parsed?.uri === 'string' && typeof parsed.token === 'string')
        saved = { uri: parsed.uri, token: parsed.token };
    } catch {
      // not JSON: a bare token from an earlier version
    }
    if (!saved) {
      const chosen = this.current();
      saved = chosen.kind === 'milvus' ? { uri: normalEndpoint(chosen.uri), token: raw } : null;
    }
    this.redactor.remember(saved?.token);
    return saved;
  }
}
