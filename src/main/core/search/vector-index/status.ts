import type { VectorStoreStatus } from '../../../../shared/model';
import { type StoreConfig, storeKey } from '../../../../shared/store-config';
import type { ModelManifest } from '../../embed/manifest';
import type { OpenStore } from './open-store';
import type { VectorOutbox } from './outbox';
import type { StoreSlots } from './staging';

export interface IndexState {
  config: StoreConfig;
  model: ModelManifest | null;
  slots: StoreSlots;
  /** What the active store said it holds after its last outbox pass. */
  stored: number | null;
  lastError: string | null;
}

/** What Settings and Activity show of the vector index. */
export function indexStatus(state: IndexState, outbox: VectorOutbox): VectorStoreStatus {
  const { config, model, slots, lastError } = state;
  const { active, staging } = slots;
  const key = staging?.key ?? active?.key ?? storeKey(config);
  return {
    kind: config.kind,
    location: describeLocation(config, active),
    model: model?.id ?? null,
    dimension: model?.output.dim ?? null,
    stored: state.stored,
    expected: model ? outbox.expected(model.id) : 0,
    outbox: model ? outbox.waiting(key, model.id) : 0,
    unsaved: model ? outbox.unsaved(key, model.id) : 0,
    state: lastError ? 'error' : staging ? 'switching' : active ? 'ready' : 'closed',
    error: lastError,
    switchingTo: staging ? staging.config.kind : null,
  };
}

function describeLocation(config: StoreConfig, active: OpenStore | null): string {
  if (config.kind === 'milvus') return config.uri;
  if (config.kind === 'milvus-lite')
    return active?.lite ? `Milvus Lite at ${active.lite.uri}` : 'Milvus Lite';
  return 'Embedded (in the data folder)';
}
