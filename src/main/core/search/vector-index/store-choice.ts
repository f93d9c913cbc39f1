import type { StoreConfig } from '../../../../shared/store-config';
import type { Db } from '../../library/db';
import { SettingsStore } from '../../library/settings';
import type { SecretStore } from '../../ports';

const TOKEN_SECRET = 'milvus-token';

/** A Milvus server's address and credentials, as the store factory connects to it. */
export interface MilvusConnection {
  uri: string;
  token: string | undefined;
  tls: boolean | undefined;
}

/**
 * The vector store the user chose (Settings), kept in the settings table, and its Milvus
 * token, kept in the secret store (Electron: encrypted by the OS) and never in the database.
 */
export class StoreChoice {
  private readonly settings: SettingsStore;

  constructor(
    db: Db,
    private readonly secrets: SecretStore | undefined,
  ) {
    this.settings = new SettingsStore(db);
  }

  current(): StoreConfig {
    return this.settings.get('vectors.store') ?? { kind: 'embedded' };
  }

  async save(config: StoreConfig): Promise<void> {
    if (config.kind === 'milvus' && this.secrets) {
      await this.secrets.set(TOKEN_SECRET, config.token || null);
      config = { kind: 'milvus', uri: config.uri, ...(config.tls === undefined ? {} : { tls: config.tls }) };
    }
    this.settings.set('vectors.store', config);
  }

  /** Where a Milvus configuration connects, with the saved token when the config has none. */
  async connection(config: Extract<StoreConfig, { kind: 'milvus' }>): Promise<MilvusConnection> {
    return {
      uri: config.uri,
      token: config.token || ((await this.secrets?.get(TOKEN_SECRET)) ?? undefined),
      tls: config.tls,
    };
  }
}
