import type { ApiHandlers } from '../../../shared/api';
import type { VectorIndex } from '../search/vector-index';

type VectorStoreMethods = 'vectors:status' | 'vectors:configure' | 'vectors:test';

/** Settings → Vector store: where vectors are kept, switching, and testing a connection. */
export function vectorStoreHandlers(index: VectorIndex): Pick<ApiHandlers, VectorStoreMethods> {
  return {
    'vectors:status': async () => index.status(),
    'vectors:configure': async ({ config }) => index.configure(config),
    'vectors:test': async ({ config }) => index.test(config),
  };
}
