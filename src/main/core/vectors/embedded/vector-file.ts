import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readSync,
  writeSync,
} from 'node:fs';
import { encodeHalf } from './half';

/**
 * vectors.f16: every slot's normalised vector in half precision, back to back. It serves
 * the exact scan behind very selective filters and lets the HNSW graph be rebuilt without
 * SQLite. Written append-only at upsert time; the sidecar's `slots` says how much is saved.
 */
export class VectorFile {
  private readonly fd: number;
  readonly bytesPerVector: number;

  constructor(
    readonly path: string,
    readonly dimension: number,
    savedSlots: number,
  ) {
    this.fd = openSync(path, existsSync(path) ? 'r+' : 'w+');
    this.bytesPerVector = dimension * 2;
    // Drop a tail written after the last save: those slots are not in the saved entries.
    if (fstatSync(this.fd).size !== savedSlots * this.bytesPerVector) {
      ftruncateSync(this.fd, savedSlots * this.bytesPerVector);
    }
  }

  write(slot: number, normalised: Float32Array): void {
    const half = encodeHalf(normalised);
    writeSync(this.fd, new Uint8Array(half.buffer), 0, this.bytesPerVector, slot * this.bytesPerVector);
  }

  /** Reads consecutive slots [first, first + n) into `into` (length >= n * dimension). */
  readRun(first: number, n: number, into: Uint16Array): void {
    const bytes = new Uint8Array(into.buffer, into.byteOffset, n * this.bytesPerVector);
    let done = 0;
    while (done < bytes.length) {
      const got = readSync(this.fd, bytes, done, bytes.length - done, first * this.bytesPerVector + done);
      if (got === 0)
        throw new Error(`${this.path} ends before slot ${first + n}; the index needs a rebuild.`);
      done += got;
    }
  }

  sync(): void {
    fsyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}
