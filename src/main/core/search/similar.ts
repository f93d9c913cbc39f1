// "Find similar", "More like these" and "Duplicates": vectors come from SQLite (the truth),
// neighbours from the vector index, and every hit is checked against SQLite again so a
// photo that left the library never shows up, whatever the store still holds.
import type { DuplicateGroup, Photo, SimilarResult } from '../../../shared/model';
import type { EmbeddingPipeline } from '../embed/embed-jobs';
import { LibraryRequestError, ModelRequestError } from '../errors';
import type { Db } from '../library/db';
import type { GalleryQueries } from '../library/gallery';
import { onePerFile } from '../library/same-file';
import type { VectorFilter, VectorHit } from '../vectors/port';
import { NearPairs } from './near-pairs';
import type { VectorIndex } from './vector-index';

export interface SimilarQuery {
  k: number;
  minScore: number;
  folderIds?: number[];
  from?: number;
  to?: number;
}

export class SimilarPhotos {
  private readonly nearPairs: NearPairs;

  constructor(
    db: Db,
    private readonly gallery: GalleryQueries,
    private readonly pipeline: EmbeddingPipeline,
    private readonly index: VectorIndex,
  ) {
    this.nearPairs = new NearPairs(db);
  }

  similar(id: number, q: SimilarQuery): Promise<SimilarResult> {
    return this.similarToMany([id], q);
  }

  async similarToMany(ids: number[], q: SimilarQuery): Promise<SimilarResult> {
    const model = this.pipeline.activeModel();
    const query = ids.map((id) => this.gallery.get(id)).filter((p): p is NonNullable<typeof p> => p !== null);
    if (query.length === 0) throw new LibraryRequestError('Those photos are no longer in the library.');
    if (!model) {
      throw new ModelRequestError(
        'No embedding model is installed: download ResNet-50 or build the offline model (Settings).',
      );
    }
    const vectors = query.map((p) => this.pipeline.vector(p.hash, model.id));
    if (vectors.some((v) => v === null)) {
      const failed = query
        .map((p) => ({ p, why: this.pipeline.failure(p.hash, model.id) }))
        .find((x) => x.why);
      if (failed) {
        throw new LibraryRequestError(
          `${failed.p.name} could not be indexed, so it has no similar photos. ${failed.why}`,
        );
      }
      this.pipeline.prioritise(query.map((p) => p.hash));
      return { query, hits: [], notIndexed: true, model: model.id };
    }
    const queryHashes = [...new Set(query.map((p) => p.hash))];
    const filter: VectorFilter = { excludeIds: queryHashes };
    if (q.folderIds?.length) filter.folderIds = q.folderIds;
    if (q.from !== undefined) filter.from = q.from;
    if (q.to !== undefined) filter.to = q.to;
    // A little more than asked (some hits may be photos that just left the library). The
    // stores already rank by cosine (the embedded one widens and rescores its own candidates
    // from its f16 copy); the scores are then made exact with the float32 vectors from SQLite.
    const direction = meanDirection(vectors as Float32Array[]);
    const candidates = await this.index.search(direction, Math.min(1000, q.k + 8), filter);
    const hits = this.rescore(candidates, direction, model.id);
    const photos = this.gallery.byHashes(hits.map((h) => h.id));
    const out = hits
      .filter((h) => h.score >= q.minScore && photos.has(h.id))
      .slice(0, q.k)
      .map((h) => ({ photo: photos.get(h.id)!, score: round(h.score) }));
    return { query, hits: out, notIndexed: false, model: model.id };
  }

  private rescore(candidates: VectorHit[], direction: Float32Array, modelId: string): VectorHit[] {
    const exact = this.pipeline.vectors(
      candidates.map((c) => c.id),
      modelId,
    );
    return candidates
      .map((c) => {
        const v = exact.get(c.id);
        if (!v) return c;
        let dot = 0;
        for (let i = 0; i < v.length; i++) dot += v[i]! * direction[i]!;
        return { id: c.id, score: dot };
      })
      .sort((a, b) => b.score - a.score);
  }

  /**
   * Exact duplicates (the same bytes in several places) and near duplicates (different
   * files above `threshold`, e.g. a resized or re-encoded copy, a burst of shots).
   */
  async duplicates(threshold: number, limit: number): Promise<DuplicateGroup[]> {
    const groups: DuplicateGroup[] = [];
    for (const hash of this.gallery.exactDuplicates(limit)) {
      // One file under several names (a link, a hard link, a second mount) is one photo.
      const files = await onePerFile(this.gallery.copiesOf(hash));
      if (files.length < 2) continue;
      const copies = files.map((f) => ({ ...f.copy, score: 1 }));
      // A file with several names is kept: the Trash refuses it (that would remove every name).
      const keep = files.find((f) => f.names > 1)?.copy ?? bestCopy(copies);
      groups.push({ kind: 'exact', photos: copies, keepId: keep.id });
    }
    const model = this.pipeline.activeModel();
    if (!model || groups.length >= limit) return groups;

    // Photos the background scan has not reached yet are looked at now.
    await this.scanNeighbours(model.id, this.nearPairs.unscanned(model.id));

    // Only pairs of photos still in the library: one that left never joins two others.
    const pairs = this.nearPairs.pairs(model.id, threshold);
    const sets = new UnionFind();
    const best = new Map<string, number>();
    for (const { a, b, score } of pairs) {
      sets.union(a, b);
      best.set(a, Math.max(best.get(a) ?? 0, score));
      best.set(b, Math.max(best.get(b) ?? 0, score));
    }
    for (const members of sets.groups()) {
      if (groups.length >= limit) break;
      const photos = this.gallery.byHashes(members);
      if (photos.size < 2) continue;
      const list = [...photos.values()].map((p) => ({ ...p, score: round(best.get(p.hash) ?? 0) }));
      groups.push({ kind: 'near', photos: list, keepId: bestCopy(list).id });
    }
    return groups;
  }

  /** Photos forgotten for good: their look-alike pairs go too. */
  forget(hashes: string[]): void {
    this.nearPairs.forget(hashes);
  }

  /**
   * Records each photo's nearest neighbours (score >= 0.5, the lowest threshold the window
   * offers) once per model. A pair is found from whichever of its two photos is scanned
   * after the other is in the index, so scanning photos as they are indexed finds them all.
   */
  async scanNeighbours(modelId: string, hashes: string[]): Promise<void> {
    for (const hash of hashes) {
      const v = this.pipeline.vector(hash, modelId);
      if (!v) continue;
      const hits = (await this.index.search(v, 8, { excludeIds: [hash] })).filter((h) => h.score >= 0.5);
      this.nearPairs.record(modelId, hash, this.rescore(hits, v, modelId));
    }
  }
}

/** The query for several photos: the normalised mean of their (normalised) vectors. */
export function meanDirection(vectors: Float32Array[]): Float32Array {
  const dim = vectors[0]!.length;
  const out = new Float32Array(dim);
  for (const v of vectors) for (let i = 0; i < dim; i++) out[i]! += v[i]!;
  let norm = 0;
  for (let i = 0; i < dim; i++) norm += out[i]! * out[i]!;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 1;
  for (let i = 0; i < dim; i++) out[i]! *= scale;
  return out;
}

/** Keep the most pixels, then the biggest file, then the oldest. */
export function bestCopy<T extends Photo>(photos: T[]): T {
  return [...photos].sort(
    (a, b) =>
      (b.width ?? 0) * (b.height ?? 0) - (a.width ?? 0) * (a.height ?? 0) ||
      b.size - a.size ||
      a.date - b.date,
  )[0]!;
}

class UnionFind {
  private parent = new Map<string, string>();
  find(x: string): string {
    let root = x;
    while (this.parent.has(root) && this.parent.get(root) !== root) root = this.parent.get(root)!;
    this.parent.set(x, root);
    return root;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (!this.parent.has(ra)) this.parent.set(ra, ra);
    if (ra !== rb) this.parent.set(rb, ra);
  }
  groups(): string[][] {
    const byRoot = new Map<string, string[]>();
    for (const x of this.parent.keys()) {
      const r = this.find(x);
      const list = byRoot.get(r) ?? [];
      list.push(x);
      byRoot.set(r, list);
    }
    return [...byRoot.values()].filter((g) => g.length > 1);
  }
}

const round = (n: number) => Math.round(n * 10_000) / 10_000;
