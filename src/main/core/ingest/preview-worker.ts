// Worker thread entry: makes new photos' previews and model inputs (previews.ts). Several
// requests run at once (libvips works on its own threads); each answer carries its id.
// Why a thread: the decoded pixels (7.7 MB per 12 MP photo) are memory outside V8's heap, and
// in the main thread that memory started a full collection of the whole app's heap about once a
// second during a first index (decision 0065). Here the heap is a few megabytes.
import { parentPort } from 'node:worker_threads';
import type { PreviewReply, ToPreviewWorker } from './preview-protocol';
import { makePreviews } from './previews';

if (!parentPort) throw new Error('preview-worker must run in a worker thread.');
const port = parentPort;
let running = 0;
let closing = false;

port.on('message', async (msg: ToPreviewWorker) => {
  if (msg.type === 'close') {
    // Leaving while libvips is inside a call would abort the process: end once idle.
    closing = true;
    if (running === 0) process.exit(0);
    return;
  }
  running++;
  let reply: PreviewReply;
  try {
    const result = await makePreviews(msg.request);
    reply = { id: msg.id, ok: true, result };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    reply = { id: msg.id, ok: false, message: err?.message ?? String(e), code: err?.code };
  }
  running--;
  const rgb = reply.ok ? reply.result.rgb : undefined;
  port.postMessage(reply, rgb ? [rgb.buffer as ArrayBuffer] : []);
  if (closing && running === 0) process.exit(0);
});
port.postMessage({ type: 'ready' });
