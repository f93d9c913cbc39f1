// Development/test bootstrap for the preview worker: Node cannot start a .ts worker by itself,
// so register tsx's loader inside this worker thread first. The bundled app uses preview-worker.js.
import { register } from 'tsx/esm/api';

register();
await import('./preview-worker.ts');
