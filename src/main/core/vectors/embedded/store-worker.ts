// Worker thread entry: hosts one EmbeddedVectorStore so that usearch's synchronous work
// (adding a batch, saving hundreds of MB) never blocks the thread serving the UI.
import { parentPort, workerData } from 'node:worker_threads';
import { VectorStoreError } from '../port';
import { type EmbeddedStoreOptions, EmbeddedVectorStore } from './store';
import type { StoreReply, StoreRequest } from './worker-protocol';

const port = parentPort!;
let store: EmbeddedVectorStore;
try {
  store = new EmbeddedVectorStore(workerData as EmbeddedStoreOptions);
  port.postMessage({ ready: true, health: store.health });
} catch (error) {
  const e = error as VectorStoreError;
  port.postMessage({ ready: false, error: { kind: e.kind, message: e.message } });
}

port.on('message', async (request: StoreRequest) => {
  let reply: StoreReply;
  try {
    const method = store[request.method] as (...args: unknown[]) => unknown;
    reply = { id: request.id, ok: true, value: await method.apply(store, request.args) };
  } catch (error) {
    const kind = error instanceof VectorStoreError ? error.kind : undefined;
    reply = { id: request.id, ok: false, error: { kind, message: (error as Error).message } };
  }
  port.postMessage(reply);
});
