import { join } from 'node:path';
import type { StoreConfig } from '../../../../shared/store-config';
import { testConnection } from '../../vectors/milvus';
import { startMilvusLite } from '../../vectors/milvus-lite';

/** Settings' "Test connection": tries a configuration without switching to it. */
export async function testStore(config: StoreConfig, dir: string): Promise<{ ok: boolean; message: string }> {
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
  const result = await testConnection({
    uri: config.uri,
    token: config.token,
    tls: config.tls,
    timeoutMs: 5000,
  });
  return result.ok
    ? { ok: true, message: `Connected to Milvus ${result.serverVersion ?? ''}`.trim() }
    : { ok: false, message: result.error?.message ?? 'The connection failed.' };
}
