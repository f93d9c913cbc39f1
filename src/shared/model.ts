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
