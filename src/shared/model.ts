/** The things the window shows, in the user's words. Plain data: crosses IPC and HTTP. */

export type FolderStatus = 'scanning' | 'watching' | 'offline' | 'error';

export interface WatchedFolder {
  id: number;
  path: string;
  status: FolderStatus;
  error: string | null;
  photoCount: number;
  addedAt: number;
  lastScanAt: number | null;
}

export interface Photo {
  /** The file's id: a photo seen in two places is two gallery items with one hash. */
  id: number;
  hash: string;
  folderId: number;
  name: string;
  path: string;
  size: number;
  width: number | null;
  height: number | null;
  /** Date taken (EXIF), else the file's modification time; ms since epoch. */
  date: number;
  takenAt: number | null;
  /** Media paths (see mediaUrl in the renderer); null until the thumbnail exists. */
  thumb: string | null;
  preview: string | null;
  original: string;
}

export interface PhotoDetail extends Photo {
  format: string | null;
  mtime: number;
  camera: string | null;
  lens: string | null;
  gps: { lat: number; lon: number } | null;
  orientation: number | null;
  /** Other places the same photo (same content) is stored. */
  copies: { id: number; path: string }[];
}

export interface PhotoPage {
  total: number;
  offset: number;
  items: Photo[];
}

export interface TimelineMonth {
  /** 'YYYY-MM' in local time of the core, or 'undated'. */
  month: string;
  count: number;
}

export interface JobCounts {
  pending: number;
  running: number;
  failed: number;
}

export interface LibraryStatus {
  photos: number;
  files: number;
  folders: number;
  offlineFolders: { id: number; path: string }[];
  problems: number;
  paused: boolean;
  jobs: Record<string, JobCounts>;
  progress: JobProgress[];
}

export interface JobProgress {
  kind: string;
  /** Label for the Activity view, e.g. "Scanning", "Making thumbnails". */
  label: string;
  done: number;
  total: number;
  perSecond: number;
  secondsLeft: number | null;
}

export interface Problem {
  id: number;
  path: string;
  kind: string;
  reason: string;
  at: number;
}

export interface AppInfo {
  version: string;
  dataDir: string;
  shell: 'electron' | 'browser' | 'test';
  canPickFolders: boolean;
}

export interface VectorStoreStatus {
  kind: 'embedded' | 'milvus' | 'milvus-lite';
  location: string;
  model: string | null;
  dimension: number | null;
  /** What the store reported holding after its last write (null until known). */
  stored: number | null;
  /** Vectors SQLite holds for the active model: what the store should hold. */
  expected: number;
  /** Vectors waiting to be written to the store (grows while Milvus is down). */
  outbox: number;
  state: 'ready' | 'switching' | 'error' | 'closed';
  error: string | null;
  switchingTo: string | null;
}

/** Where getting a model stands (the latest attempt since Komorebi started). */
export interface ModelDownload {
  step: 'downloading' | 'converting' | 'ready' | 'failed' | 'cancelled';
  received: number;
  total: number | null;
  error: string | null;
}

export interface EmbeddingModel {
  id: string;
  displayName: string;
  description: string | null;
  dimension: number;
  available: boolean;
  active: boolean;
  source: 'download' | 'import' | 'built-in';
  embedded: number;
  /** The model Komorebi suggests (ResNet-50, the original workflow's). */
  recommended: boolean;
  /** Bytes to download, when known. */
  downloadBytes: number | null;
  license: string | null;
  /** File endings Import accepts for this model ('.onnx', and '.safetensors' for timm weights). */
  importTypes: string[];
  /** A checked copy of the published file already on this computer (the Hugging Face cache). */
  localCopy: string | null;
  download: ModelDownload | null;
}

export interface SimilarHit {
  photo: Photo;
  /** Cosine similarity, 0..1 (1: the same picture). */
  score: number;
}

export interface SimilarResult {
  query: Photo[];
  hits: SimilarHit[];
  /** The query photo has no vector yet: it was moved to the front of the indexing queue. */
  notIndexed: boolean;
  model: string | null;
}

export interface DuplicateGroup {
  kind: 'exact' | 'near';
  photos: (Photo & { score: number })[];
  /** The copy Komorebi suggests keeping: the largest resolution, then the largest file, then the oldest. */
  keepId: number;
}

export interface ComicStyle {
  id: string;
  name: string;
  prompt: string;
  builtIn: boolean;
}

export interface ComicLayoutOption {
  panels: 1 | 2 | 3 | 4 | 6;
  arrangement: 'strip' | 'grid';
  name: string;
  size: string;
}

export interface StudioSettings {
  engine: 'openai-responses' | 'openai-images';
  /** Responses API model (GPT-4o by default). */
  responsesModel: string;
  /** Images API model (gpt-image-1 by default). */
  imagesModel: string;
  /** A compatible endpoint (Azure, a gateway); empty for OpenAI. */
  baseUrl: string;
  /** Long side of a reference photo as sent, in pixels. */
  referenceMaxSide: number;
}

export interface StudioOptions {
  styles: ComicStyle[];
  layouts: ComicLayoutOption[];
  sizes: string[];
  qualities: ('low' | 'medium' | 'high' | 'auto')[];
  settings: StudioSettings;
  /** An API key is saved (never the key itself). */
  hasKey: boolean;
  /** Where the key lives, for Settings: "encrypted by the OS", "OPENAI_API_KEY", "a file only you can read". */
  keyStorage: string;
}

export interface ComicGenerationOptions {
  style: string;
  panels: 1 | 2 | 3 | 4 | 6;
  arrangement: 'strip' | 'grid';
  size: string;
  quality: 'low' | 'medium' | 'high' | 'auto';
  variations: number;
}

export interface ComicVersion {
  id: number;
  parentId: number | null;
  prompt: string;
  state: 'generating' | 'done' | 'failed' | 'cancelled';
  error: string | null;
  /** Media path of the page image. */
  image: string | null;
  engine: string;
  model: string;
  tokens: number | null;
  costUsd: number | null;
  createdAt: number;
}

export interface ComicReference {
  photo: Photo;
  included: boolean;
}

export interface ComicSessionSummary {
  id: number;
  title: string;
  versions: number;
  cover: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface ComicSession extends ComicSessionSummary {
  options: ComicGenerationOptions;
  references: ComicReference[];
  versionList: ComicVersion[];
  totals: { tokens: number; costUsd: number };
}

export interface PanelCut {
  versionId: number;
  width: number;
  height: number;
  rects: { x: number; y: number; width: number; height: number }[];
  method: 'gutters' | 'layout';
  reason: string | null;
}
