// Reads the safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON
// header { name: { dtype, shape, data_offsets: [begin, end] }, "__metadata__"?: {...} }, then the
// tensors' bytes, little-endian, row-major. Only what Komorebi needs: find a tensor, check its
// shape, read it as float32. Every problem names the file and the tensor.

export interface TensorInfo {
  dtype: string;
  shape: number[];
  /** Byte range inside the whole file. */
  begin: number;
  end: number;
}

const BYTES_PER_ELEMENT: Record<string, number> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
};

/** A header larger than this is not a model's (the real ResNet-50's is about 30 KB). */
const MAX_HEADER_BYTES = 64 * 1024 * 1024;

export class SafetensorsFile {
  private constructor(
    private readonly bytes: Uint8Array,
    private readonly tensors: Map<string, TensorInfo>,
    readonly where: string,
  ) {}

  /** Parses the header of `bytes` (the whole file) and checks every tensor's byte range. */
  static parse(bytes: Uint8Array, where: string): SafetensorsFile {
    const bad = (why: string) => new Error(`${where} is not a safetensors file: ${why}.`);
    if (bytes.byteLength < 8) throw bad('it is shorter than its 8-byte header length');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const headerLength = Number(view.getBigUint64(0, true));
    if (headerLength > MAX_HEADER_BYTES || 8 + headerLength > bytes.byteLength) {
      throw bad(`its header claims ${headerLength} bytes in a file of ${bytes.byteLength}`);
    }
    let header: unknown;
    try {
      header = JSON.parse(
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)),
      );
    } catch (e) {
      throw bad(`its header is not JSON (${(e as Error).message})`);
    }
    if (typeof header !== 'object' || header === null || Array.isArray(header)) {
      throw bad('its header is not a JSON object');
    }
    const dataStart = 8 + headerLength;
    const tensors = new Map<string, TensorInfo>();
    for (const [name, value] of Object.entries(header)) {
      if (name === '__metadata__') continue;
      const entry = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
      const shape = entry.shape;
      const offsets = entry.data_offsets;
      const size = typeof entry.dtype === 'string' ? BYTES_PER_ELEMENT[entry.dtype] : undefined;
      if (
        size === undefined ||
        !Array.isArray(shape) ||
        !shape.every((d) => Number.isSafeInteger(d) && d >= 0) ||
        !Array.isArray(offsets) ||
        offsets.length !== 2 ||
        !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)
      ) {
        throw bad(`the header entry of tensor "${name}" is malformed`);
      }
      const [begin, end] = offsets as [number, number];
      const elements = (shape as number[]).reduce((a, d) => a * d, 1);
      if (end < begin || end - begin !== elements * size || dataStart + end > bytes.byteLength) {
        throw bad(`the bytes of tensor "${name}" do not fit its shape or lie outside the file`);
      }
      tensors.set(name, {
        dtype: entry.dtype as string,
        shape: shape as number[],
        begin: dataStart + begin,
        end: dataStart + end,
      });
    }
    return new SafetensorsFile(bytes, tensors, where);
  }

  names(): string[] {
    return [...this.tensors.keys()];
  }

  info(name: string): TensorInfo | undefined {
    return this.tensors.get(name);
  }

  /** The tensor as float32 values (F32 as stored; F16, BF16 and F64 converted). */
  float32(name: string): Float32Array {
    const t = this.tensors.get(name);
    if (!t) throw new Error(`${this.where} has no tensor "${name}".`);
    const raw = this.bytes.subarray(t.begin, t.end);
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const n = raw.byteLength / BYTES_PER_ELEMENT[t.dtype]!;
    const out = new Float32Array(n);
    switch (t.dtype) {
      case 'F32':
        // A copy: the tensor's offset in the file need not be 4-byte aligned.
        new Uint8Array(out.buffer).set(raw);
        break;
      case 'F64':
        for (let i = 0; i < n; i++) out[i] = view.getFloat64(i * 8, true);
        break;
      case 'F16':
        for (let i = 0; i < n; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
        break;
      case 'BF16':
        for (let i = 0; i < n; i++) out[i] = bfloat16ToFloat(view.getUint16(i * 2, true));
        break;
      default:
        throw new Error(`${this.where}: tensor "${name}" holds ${t.dtype} values, expected floating point.`);
    }
    return out;
  }
}

const scratch = new DataView(new ArrayBuffer(4));

function bfloat16ToFloat(bits: number): number {
  scratch.setUint32(0, bits << 16);
  return scratch.getFloat32(0);
}

function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
