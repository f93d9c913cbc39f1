import type { Notifier } from '../../shared/events';
import type { DataDirLock } from './library/data-dir-lock';

export type { Notifier };

/** Where the API key lives: Electron's safeStorage, a user-only file, or the environment. */
export interface SecretStore {
  get(name: string): Promise<string | null>;
  set(name: string, value: string | null): Promise<void>;
  /** Where values live, in words for Settings ("encrypted by the OS", "a file only you can read"). */
  describe?(): string;
}

/** The directories `/media/` and `media://` may serve from, and nothing else. */
export interface MediaRoots {
  /** Thumbnail cache: `thumbs/<rel>`. */
  thumbs: string;
  /** Studio outputs: `studio/<rel>`. */
  studio: string;
  /** Watched folders by id: `folder/<id>/<rel>`. */
  folders: Map<number, string>;
}

export interface CoreConfig {
  /** Where the library database, thumbnails, indexes and studio outputs live. */
  dataDir: string;
  notifier: Notifier;
  shell: 'electron' | 'browser' | 'test';
  secrets?: SecretStore;
  /** The native folder picker, where the shell has one. */
  pickFolder?: () => Promise<string | null>;
  /** The native folder picker for Comic Studio exports, where the shell has one. */
  pickExportFolder?: () => Promise<string | null>;
  /** Start background work (scans, watching, jobs) at once. Tests may turn it off to step manually. */
  autoStart?: boolean;
  /** Force chokidar polling (network drives, or the OS out of watches). */
  usePolling?: boolean;
  version?: string;
  /** Folder of model manifests (default: the bundled resources/models). */
  manifestDir?: string;
  /** Folders searched for model files after the data dir's models folder (default: the manifest folder). */
  modelDirs?: string[];
  /** The Hugging Face hub cache searched for published model weights (default: from HF_HOME etc.). */
  huggingFaceHub?: string;
  /** The embedding worker entry (the Electron shell passes its bundled file). */
  embedWorkerUrl?: URL;
  /** The preview worker entry (default: beside this code); null decodes new photos on the main thread. */
  previewWorkerUrl?: URL | null;
  /** The data directory's lock, when the shell took it before starting (else createCore takes it). */
  dataDirLock?: DataDirLock;
  /**
   * false: a new photo is decoded twice, once for its previews and again by the embedding
   * worker, with WebP previews: the path before decision 0027, kept so the first-index
   * benchmark measures its baseline in the same run. Default true.
   */
  decodeOnce?: boolean;
  /** Moves files to the OS trash; the Electron shell passes shell.trashItem. */
  trashFiles?: (paths: string[]) => Promise<void>;
}
