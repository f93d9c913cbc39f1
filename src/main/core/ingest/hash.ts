import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

const CHUNK = 1 << 20;

/**
 * Read buffers kept for the next file. A stream would allocate a new megabyte per chunk, and
 * at several photos a second those allocations (outside V8's heap, but counted by it) made
 * the main thread collect garbage every few hundred milliseconds during a first index.
 */
const spare: Buffer[] = [];

/** sha-256 of the file's bytes, read a chunk at a time: a 100 MB TIFF never sits in memory. */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  const buffer = spare.pop() ?? Buffer.allocUnsafeSlow(CHUNK);
  const file = await open(path, 'r');
  try {
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, CHUNK, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await file.close();
    if (spare.length < 4) spare.push(buffer);
  }
  return hash.digest('hex');
}
