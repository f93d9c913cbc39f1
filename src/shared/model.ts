/** The things the window shows, in the user's words. Plain data: crosses IPC and HTTP. */

export type FolderStatus = 'scanning' | 'watching' | 'offline' | 'error';

export interface WatchedFolder {
  id: number;
  path: string;
  status: FolderStatus;
  error: string | null;
  /**
   * Why the folder is checked on a timer instead of watched live, with what to do (the system
   * ran out of file watches), or null when changes are seen at once.
   */
  watchNote: string | null;
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
  /** Why the library cannot save its work right now (a full disk...), or null. */
  storageError: string | null;
}

/** Work that failed for good, or was set aside because the app stopped under it 3 times. */
export interface FailedJob {
  kind: string;
  /** What it was about, in the user's words: a file's path, or a photo. */
  what: string;
  reason: string;
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
  /** Vectors written to the store that it has not saved to disk yet (sent again after a crash). */
  unsaved: number;
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
  /** Responses API main model; '' chooses automatically from the models the key can use. */
  responsesModel: string;
  /** The image model the Responses engine's image_generation tool draws with; '' is automatic. */
  responsesImageModel: string;
  /** Images API model; '' chooses automatically (the newest live gpt-image family). */
  imagesModel: string;
  /** A compatible endpoint (Azure, a gateway); empty for OpenAI. Set only with the key (`studio:set-key`). */
  baseUrl: string;
  /** Long side of a reference photo as sent, in pixels. */
  referenceMaxSide: number;
}

/** A model setting of the Studio, by its name in StudioSettings. */
export type StudioModelSetting = 'responsesModel' | 'responsesImageModel' | 'imagesModel';

/** A model the Studio can offer, as OpenAI lists it and Komorebi's table describes it. */
export interface StudioModelInfo {
  id: string;
  role: 'main' | 'image';
  /** Komorebi's table knows its parameters and price. */
  known: boolean;
  /** YYYY-MM-DD from OpenAI's list (or Komorebi's table), null when none is announced. */
  shutdownDate: string | null;
  /** 'retiring': shuts down within 30 days; 'retired': the date has passed or OpenAI no longer lists it. */
  status: 'live' | 'retiring' | 'retired';
  /** A live model to move to when this one goes. */
  replacement: string | null;
  /** "text in $5.00 · image in $8.00 · image out $30.00 per 1M tokens", or "price unknown". */
  price: string;
  priced: boolean;
}

/** A model the next generation would use is about to shut down, or has. */
export interface StudioModelNotice {
  setting: StudioModelSetting;
  model: string;
  shutdownDate: string | null;
  replacement: string | null;
  message: string;
}

export interface StudioModels {
  /** live: read from OpenAI in this session; cache: the last list seen; none: no list yet (Komorebi's table). */
  source: 'live' | 'cache' | 'none';
  fetchedAt: number | null;
  /** Why the list could not be read just now (no key, offline, a rejected key), or null. */
  problem: string | null;
  /** Where the models come from, in one sentence for Settings and the Studio. */
  summary: string;
  main: StudioModelInfo[];
  image: StudioModelInfo[];
  /** What "automatic" picks now. */
  defaults: Record<StudioModelSetting, string>;
  /** What the next generation uses: the settings, else the defaults. */
  effective: Record<StudioModelSetting, string>;
  notices: StudioModelNotice[];
}

export interface StudioOptions {
  styles: ComicStyle[];
  layouts: ComicLayoutOption[];
  /** Page sizes the image model the next generation uses can draw. */
  sizes: string[];
  /** Its quality levels. */
  qualities: ComicQuality[];
  settings: StudioSettings;
  /** An API key is saved (never the key itself). */
  hasKey: boolean;
  /** Where the key lives, for Settings: "encrypted by the OS", "OPENAI_API_KEY", "a file only you can read". */
  keyStorage: string;
  /** Where requests (and the key) go: the endpoint the key was entered for, or OpenAI's. */
  endpoint: string;
  /** A key is saved but not for `endpoint` (it goes only where it was entered), or the endpoint is refused. */
  keyProblem: string | null;
  /** The folder exports go to without asking: the data folder's `exports`. */
  exportFolder: string;
  models: StudioModels;
}

export type ComicQuality = 'low' | 'medium' | 'high' | 'xhigh' | 'max' | 'auto';

export interface ComicGenerationOptions {
  style: string;
  panels: 1 | 2 | 3 | 4 | 6;
  arrangement: 'strip' | 'grid';
  size: string;
  quality: ComicQuality;
  variations: number;
}

/** A rectangle on a page, in page pixels. */
export interface PageRect {
  x: number;
  y: number;
  width: number;
  height: number;
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
  /** The image model that drew it (the Responses tool's, or the Images model), when known. */
  imageModel: string | null;
  /** A panel redraw: the rectangle of the parent's page that was redrawn; null for a whole page. */
  region: PageRect | null;
  tokens: number | null;
  costUsd: number | null;
  createdAt: number;
  /**
   * For a failure the user can fix with one click: the model setting to change, the live model
   * it will draw with, and the value to save ('' keeps it automatic, when that already moved on).
   */
  fix: { setting: StudioModelSetting; from: string; to: string; value: string } | null;
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
  rects: PageRect[];
  method: 'gutters' | 'layout';
  reason: string | null;
}
