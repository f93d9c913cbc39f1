/**
 * Synthetic 2048-d "photo embeddings" for the search benchmark, with exact search over them
 * (the baseline and the ground truth for recall).
 */
import { createHash } from 'node:crypto';
import { seededRandom } from './_util';

/** Photo i's id: a SHA-256 hex content hash, as the library uses, so memory figures are real. */
export function photoId(i: number): string {
  return createHash('sha256').update(`photo ${i}`).digest('hex');
}

/**
 * How the synthetic library is shaped.
 * - `photos` (default): non-negative, a shared component, Zipf-sized events grouped in
 *   themes, and each photo varying from its event along a few directions (low intrinsic
 *   dimension, as real embeddings do), plus a little noise. Neighbours are graded: the
 *   10th nearest is clearly less similar than the 1st, as with real photos.
 * - `isotropic`: the same events, but each photo is its event plus independent noise in
 *   all 2048 dimensions. In 2048-d that makes every member of an event almost equally
 *   far from a query (the 1st and 30th neighbours differ by ~0.003 in cosine), so
 *   recall@10 mostly measures the order of ties. Kept as a stress test.
 */
export type DataShape = 'photos' | 'isotropic';

/** Directions a photo can vary along within its event (pose, light, framing...). */
const VARIATIONS = 12;
/** Shared pool the events draw their variation directions from. */
const DIRECTIONS = 256;

/** Synthetic vectors; vector i lives in chunk i / CHUNK to avoid one huge buffer. */
export class Dataset {
  static readonly CHUNK = 16_384;
  readonly chunks: Float32Array[] = [];
  readonly folder: Uint16Array;
  private readonly centres: Float32Array[];
  private readonly spread: number[];
  private readonly directions: Float32Array[];
  private readonly eventDirections: Uint16Array[];
  private readonly shared: Float32Array;
  private readonly random: () => number;

  constructor(
    readonly n: number,
    readonly dim: number,
    seed: number,
    readonly shape: DataShape = 'photos',
  ) {
    this.random = seededRandom(seed);
    const gaussVector = () => Float32Array.from({ length: dim }, () => this.gauss());
    this.shared = Float32Array.from({ length: dim }, () => Math.abs(this.gauss()));
    const events = Math.max(10, Math.round(n / 150));
    if (shape === 'photos') {
      // Events belong to themes (trips, pets, gardens...): an event is its theme moved a
      // little, so events of one theme are closer to each other than to other themes.
      const themes = Array.from({ length: Math.max(3, Math.round(events / 12)) }, () =>
        Float32Array.from({ length: dim }, () => Math.abs(this.gauss())),
      );
      this.centres = Array.from({ length: events }, () => {
        const theme = themes[Math.floor(this.random() * themes.length)]!;
        return Float32Array.from({ length: dim }, (_, d) => theme[d]! + 0.6 * this.gauss());
      });
      this.directions = Array.from({ length: DIRECTIONS }, gaussVector);
      this.eventDirections = this.centres.map(() =>
        Uint16Array.from({ length: VARIATIONS }, () => Math.floor(this.random() * DIRECTIONS)),
      );
    } else {
      this.centres = Array.from({ length: events }, () =>
        Float32Array.from({ length: dim }, () => Math.abs(this.gauss())),
      );
      this.directions = [];
      this.eventDirections = [];
    }
    this.spread = this.centres.map(() => 0.35 + this.random() * 0.6);
    // Zipf-like event sizes: a few big events, many small ones.
    const weights = this.centres.map((_, c) => 1 / (c + 1) ** 0.9);
    const total = weights.reduce((a, b) => a + b, 0);
    const cumulative: number[] = [];
    weights.reduce((sum, w, c) => (cumulative[c] = sum + w / total), 0);
    this.folder = new Uint16Array(n);
    for (let i = 0; i < n; i += Dataset.CHUNK) {
      const count = Math.min(Dataset.CHUNK, n - i);
      const chunk = new Float32Array(count * dim);
      for (let j = 0; j < count; j++) {
        const u = this.random();
        const event = Math.max(
          0,
          cumulative.findIndex((c) => c >= u),
        );
        this.sample(event, chunk.subarray(j * dim, (j + 1) * dim));
        this.folder[i + j] = Math.floor(this.random() * 20);
      }
      this.chunks.push(chunk);
    }
  }

  private gauss(): number {
    return Math.sqrt(-2 * Math.log(this.random() + 1e-12)) * Math.cos(2 * Math.PI * this.random());
  }

  private sample(event: number, out: Float32Array): void {
    const centre = this.centres[event]!;
    const spread = this.spread[event]!;
    for (let d = 0; d < this.dim; d++) out[d] = 0.6 * this.shared[d]! + centre[d]!;
    if (this.shape === 'isotropic') {
      for (let d = 0; d < this.dim; d++) out[d] = Math.max(0, out[d]! + spread * this.gauss());
      return;
    }
    // A few directions carry most of the variation, the first ones more than the last.
    const picks = this.eventDirections[event]!;
    const norm = Math.sqrt(picks.reduce((sum, _, k) => sum + 1 / (k + 1), 0));
    for (let k = 0; k < picks.length; k++) {
      const weight = (spread * this.gauss()) / Math.sqrt(k + 1) / norm;
      const direction = this.directions[picks[k]!]!;
      for (let d = 0; d < this.dim; d++) out[d] = out[d]! + weight * direction[d]!;
    }
    for (let d = 0; d < this.dim; d++) out[d] = Math.max(0, out[d]! + 0.1 * this.gauss());
  }

  vector(i: number): Float32Array {
    const chunk = this.chunks[Math.floor(i / Dataset.CHUNK)]!;
    const j = i % Dataset.CHUNK;
    return chunk.subarray(j * this.dim, (j + 1) * this.dim);
  }

  /** Half edited copies of stored photos, half new photos from the same events. */
  queries(count: number): Float32Array[] {
    return Array.from({ length: count }, (_, q) => {
      const out = new Float32Array(this.dim);
      if (q % 2 === 0) {
        const base = this.vector(Math.floor(this.random() * this.n));
        for (let d = 0; d < this.dim; d++) out[d] = Math.max(0, base[d]! + 0.3 * this.gauss());
      } else {
        this.sample(Math.floor(this.random() * this.centres.length), out);
      }
      return out;
    });
  }
}

export function norms(data: Dataset): Float32Array {
  const out = new Float32Array(data.n);
  for (let i = 0; i < data.n; i++) {
    const v = data.vector(i);
    let s = 0;
    for (let d = 0; d < data.dim; d++) s += v[d]! * v[d]!;
    out[i] = Math.sqrt(s);
  }
  return out;
}

/** The true top k of a query: ids, best first, and the k-th best cosine. */
export interface Neighbours {
  ids: string[];
  kth: number;
}

/** Plain-JS exact cosine top-k: the baseline and the ground truth for recall. */
export function exactTopK(
  data: Dataset,
  dataNorms: Float32Array,
  query: Float32Array,
  k: number,
  folder?: number,
): Neighbours {
  let qn = 0;
  for (let d = 0; d < data.dim; d++) qn += query[d]! * query[d]!;
  qn = Math.sqrt(qn);
  const top: { i: number; s: number }[] = [];
  let floor = -Infinity;
  for (let i = 0; i < data.n; i++) {
    if (folder !== undefined && data.folder[i] !== folder) continue;
    const v = data.vector(i);
    let dot = 0;
    for (let d = 0; d < data.dim; d++) dot += v[d]! * query[d]!;
    const s = dot / (dataNorms[i]! * qn);
    if (top.length < k || s > floor) {
      top.push({ i, s });
      top.sort((a, b) => b.s - a.s);
      if (top.length > k) top.pop();
      floor = top[top.length - 1]!.s;
    }
  }
  return { ids: top.map((t) => photoId(t.i)), kth: top[top.length - 1]?.s ?? -1 };
}
