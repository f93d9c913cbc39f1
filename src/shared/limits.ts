/**
 * The contract's limits that the window also shows or keeps to (api.ts builds its schemas from
 * them). Plain numbers, no zod, so the renderer can import them without the schemas.
 */
export const limits = {
  /** Photos one comic draws from: the photos of "Make comic" and the comic's references. */
  comicPhotos: 16,
  /** Photos a "More like these" search starts from. */
  similarFromPhotos: 500,
  /** Hits one similar search returns: at most, and when the window does not say. */
  similarHits: { max: 1000, default: 60 },
  /** Photos (or problems) in one page of a list. */
  page: { max: 1000, default: 200 },
  /** How alike two photos must be to count as look-alikes (cosine), and groups per answer. */
  duplicates: { threshold: { min: 0.5, max: 1, default: 0.92 }, groups: { max: 5000, default: 500 } },
  /** Characters of a comic prompt, a title (comic or style), a style's prompt. */
  promptChars: 4000,
  titleChars: 200,
  stylePromptChars: 2000,
  /** Long side, in pixels, of the reference photos sent to OpenAI. */
  referenceMaxSide: { min: 256, max: 4096 },
  /** Threads the embedding workers may use together. */
  cpuThreads: { min: 1, max: 256 },
} as const;
