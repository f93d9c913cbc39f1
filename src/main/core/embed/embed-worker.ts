// Worker thread entry: loads the model once, then embeds batches of photos. Each batch starts
// decoding as soon as it arrives (sharp works on libuv threads), while the previous batch is still
// in onnxruntime, so decoding overlaps inference. The pool keeps two batches in flight per worker.
import { parentPort, workerData } from 'node:worker_threads';
import { type EmbeddingSession, openEmbeddingSession } from './onnx';
import { preprocessImage } from './preprocess';
import type { EmbedItem, EmbedResult, FromWorker, ToWorker, WorkerInit } from './protocol';

if (!parentPort) throw new Error('embed-worker must run in a worker thread.');
const port = parentPort;
const init = workerData as WorkerInit;
const send = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

type Decoded = { item: EmbedItem; tensor?: Float32Array; error?: string };

async function decode(items: EmbedItem[]): Promise<Decoded[]> {
  return Promise.all(
    items.map(async (item) => {
      try {
        return { item, tensor: await preprocessImage(item.path, init.manifest) };
      } catch (e) {
        return { item, error: `Cannot read the photo ${item.path}: ${(e as Error).message}` };
      }
    }),
  );
}

async function infer(session: EmbeddingSession, decoded: Decoded[]): Promise<EmbedResult[]> {
  const good = decoded.filter((d) => d.tensor);
  let vectors: Float32Array[] = [];
  let batchError: string | undefined;
  try {
    vectors = await session.run(good.map((d) => d.tensor!));
  } catch (e) {
    batchError = `The model failed on this batch: ${(e as Error).message}`;
  }
  let next = 0;
  return decoded.map(({ item, tensor, error }): EmbedResult => {
    if (!tensor) return { ...item, ok: false, error: error! };
    const vector = vectors[next++];
    return vector ? { ...item, ok: true, vector } : { ...item, ok: false, error: batchError ?? 'No vector.' };
  });
}

async function main(): Promise<void> {
  let session: EmbeddingSession;
  try {
    session = await openEmbeddingSession(init.modelPath, init.manifest, {
      intraOpThreads: init.intraOpThreads,
    });
  } catch (e) {
    send({ type: 'init-failed', message: (e as Error).message });
    return;
  }
  let inference: Promise<void> = Promise.resolve();
  port.on('message', (msg: ToWorker) => {
    if (msg.type !== 'batch') return;
    const decoding = decode(msg.items);
    inference = inference.then(async () => {
      const results = await infer(session, await decoding);
      const transfer = results.flatMap((r) => (r.ok ? [r.vector.buffer as ArrayBuffer] : []));
      send({ type: 'batch-done', batchId: msg.batchId, results }, transfer);
    });
  });
  send({ type: 'ready' });
}

void main();
