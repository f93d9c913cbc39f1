/** How the embedded store is tuned: its HNSW graph, rescoring, saving and filters. */
export interface EmbeddedStoreOptions {
  /** Directory holding the index files (e.g. beside the library database). */
  dir: string;
  /** Model id whose vectors go in; an index made by another model is discarded at open. */
  model: string;
  dimension: number;
  /** HNSW links per node (M). */
  connectivity?: number;
  expansionAdd?: number;
  /** The graph's search list at 100,000 photos; see searchListGrowth. */
  expansionSearch?: number;
  /**
   * Widen the search list as the library grows (x2 per 10x beyond 100,000 photos): a
   * bigger graph needs a wider search for the same recall. Off measures one fixed list.
   */
  searchListGrowth?: boolean;
  /**
   * The graph's 8-bit distances only choose candidates: this many times k of them are
   * rescored from the f16 copy (at least k + 20), which puts back the exact order.
   */
  rescoreFactor?: number;
  /** Save this long after the last change... */
  saveDelayMs?: number;
  /** ...but no later than this after the first unsaved change. */
  maxSaveDelayMs?: number;
  /** Native threads for add/search; 1 keeps the shared CPU for decoding and inference. */
  threads?: number;
  /** A filter matching at most this many photos is answered by an exact scan of them. */
  exactScanLimit?: number;
  /** Largest HNSW candidate list fetched to post-filter before falling back to an exact scan. */
  oversampleLimit?: number;
}

/**
 * Measured at 100k and 1M 2048-d vectors (decision 0003): with an 8-bit graph, M 32 /
 * efAdd 256 / ef 64 and 3k candidates rescored from f16 finds the true top 10.
 */
export const GRAPH_DEFAULTS = {
  connectivity: 32,
  expansionAdd: 256,
  expansionSearch: 64,
  searchListGrowth: true,
  rescoreFactor: 3,
} as const;
