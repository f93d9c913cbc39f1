import type { VectorStoreStatus } from '../../../../shared/model';
import type { StoreConfig } from '../../../../shared/store-config';

/** What the vector store form holds; turned into a StoreConfig only when sent. */
export interface StoreForm {
  kind: StoreConfig['kind'];
  uri: string;
  token: string;
  tls: boolean;
}

export const emptyStoreForm: StoreForm = { kind: 'embedded', uri: '', token: '', tls: false };

/** The form for the store in use. The token is never sent back by the core, so it starts empty. */
export function formFromStatus(status: VectorStoreStatus): StoreForm {
  const uri = status.kind === 'milvus' ? status.location : '';
  return { ...emptyStoreForm, kind: status.kind, uri, tls: uri.startsWith('https://') };
}

/** The config to test or use, or a message saying what is missing. */
export function configFromForm(form: StoreForm): { config: StoreConfig } | { problem: string } {
  switch (form.kind) {
    case 'embedded':
      return { config: { kind: 'embedded' } };
    case 'milvus-lite':
      return { config: { kind: 'milvus-lite' } };
    case 'milvus': {
      const uri = form.uri.trim();
      if (!uri) return { problem: 'Enter the Milvus server address, e.g. http://localhost:19530.' };
      const token = form.token.trim();
      return {
        config: { kind: 'milvus', uri, ...(token ? { token } : {}), ...(form.tls ? { tls: true } : {}) },
      };
    }
  }
}
