import { join } from 'node:path';
import type { StoreConfig } from '../../../../shared/store-config';
import { testConnection } from '../../vectors/milvus';
import { startMilvusLite } from '../../vectors/milvus-lite';
import type { StoreChoice } from './store-choice';

/**
 * Settings' "Test connection": tries a configuration without switching to it. A Milvus server
 * gets the token typed with it, or the one saved for that same server, never another's.
 */
export async function testStore(
  config: StoreConfig,
  dir: string,
  choice: StoreChoice,
): Promise<{ ok: boolean; message: string }> {
  if (config.kind === 'embedded') return { ok: true, message: 'The embedded store needs no connection.' };
  if (config.kind === 'milvus-lite') {
    try {
      const lite = await startMilvusLite({ dataDir: join(dir, 'milvus-lite-test') });
      await lite.stop();
      return { ok: true, message: 'Milvus Lite starts on this computer.' };
    } catch (error) {
      return { ok: false, message: (error as Error).message };
    }
  }
  const result = await testConnection({ ...(await choice.connection(config)), timeoutMs: 5000 });
  return result.ok
    ? { ok: true, message: `Connected to Milvus ${result.serverVersion ?? ''}`.trim() }
    : { ok: false, message: result.error?.message ?? 'The connection failed.' };
}
