// Development/test bootstrap for the vector store worker: Node cannot start a .ts worker by
// itself, so register tsx's loader in this worker thread first. The bundled app uses
// vector-store-worker.js.
import { register } from 'tsx/esm/api';

register();
await import('./store-worker.ts');
