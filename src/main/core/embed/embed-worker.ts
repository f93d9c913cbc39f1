// Worker thread entry: loads the model once, then embeds batches of photos. A photo comes as the
// model's input pixels made at ingest, or as a path to decode. Each batch starts
// decoding as soon as it arrives (libvips works on libuv threads) while the previous batch is in
// onnxruntime, so decoding overlaps inference. The pool keeps two batches in flight per worker.
import { parentPort, workerData } from 'node:worker_threads';
import { type EmbeddingSession, openEmbeddingSession } from './onnx';
import { rgbToTensor, startDecode } from './preprocess';
import type { EmbedItem, EmbedResult, FromWorker, ToWorker, WorkerInit } from './protocol';

if (!parentPort) throw new Error('embed-worker must run in a worker thread.');
const port = parentPort;
const init = workerData as WorkerInit;
const send = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

type Decoded = { item: EmbedItem; tensor?: Float32Array; error?: string };

interface BatchDecode {
  /** Every photo's decode is running in libvips (or has failed): the thread may now block. */
  started: Promise<void>;
  done: Promise<Decoded[]>;
}

const unreadable = (item: EmbedItem, e: unknown): Decoded => ({
  item,
  error: `Cannot read the photo ${item.path}: ${(e as Error).message}`,
});

const inputBytes = init.manifest.input.size * init.manifest.input.size * 3;

/** Pixels made at ingest are used as they are; anything else is decoded from the file. */
function pixelsOf(item: EmbedItem): Promise<{ rgb: Promise<Uint8Array> }> {
  if (!item.rgb) return startDecode(item.path, init.manifest);
  if (item.rgb.length !== inputBytes) {
    return Promise.reject(
      new Error(`its prepared input has ${item.rgb.length} bytes, expected ${inputBytes}`),
    );
  }
  return Promise.resolve({ rgb: Promise.resolve(item.rgb) });
}

function decode(items: EmbedItem[]): BatchDecode {
  const running = items.map(pixelsOf);
  return {
    started: Promise.allSettled(running).then(() => undefined),
    done: Promise.all(
      running.map(async (r, i): Promise<Decoded> => {
        const item = items[i]!;
        try {
          return { item, tensor: rgbToTensor(await (await r).rgb, init.manifest) };
        } catch (e) {
          return unreadable(item, e);
        }
      }),
    ),
  };
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
    const { hash, path } = item; // the pixels do not travel back
    if (!tensor) return { hash, path, ok: false, error: error! };
    const vector = vectors[next++];
    return vector
      ? { hash, path, ok: true, vector }
      : { hash, path, ok: false, error: batchError ?? 'No vector.' };
  });
}

async function main(): Promise<void> {
  let session: EmbeddingSession;
  try {
    session = await openEmbeddingSession(init.modelPath, init.manifest, {
      intraOpThreads: init.intraOpThreads,
    });
  } catch (e) {
    const message =
      `Cannot load the model "${init.manifest.displayName}" from ${init.modelPath}: ${(e as Error).message} ` +
      'Build, download or import the model again.';
    send({ type: 'init-failed', message });
    return;
  }
  // onnxruntime-node runs a session synchronously, blocking this thread. Before each run, wait
  // until the decodes of the batch queued behind it are running inside libvips, so they go on
  // during inference instead of waiting for it.
  const queued: BatchDecode[] = [];
  let inference: Promise<void> = Promise.resolve();
  port.on('message', (msg: ToWorker) => {
    if (msg.type !== 'batch') return;
    const batch = decode(msg.items);
    queued.push(batch);
    inference = inference.then(async () => {
      let results: EmbedResult[];
      try {
        const decoded = await batch.done;
        queued.shift();
        await queued[0]?.started;
        results = await infer(session, decoded);
      } catch (e) {
        // Never leave the pool waiting: whatever went wrong, every photo gets an answer.
        const error = `Embedding failed: ${(e as Error).message}`;
        results = msg.items.map(({ hash, path }) => ({ hash, path, ok: false, error }));
      }
      const transfer = results.flatMap((r) => (r.ok ? [r.vector.buffer as ArrayBuffer] : []));
      send({ type: 'batch-done', batchId: msg.batchId, results }, transfer);
    });
  });
  send({ type: 'ready' });
}

void main();
