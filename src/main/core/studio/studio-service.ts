import type { Notifier } from '../../../shared/events';
import type { Db } from '../library/db';
import type { GalleryQueries } from '../library/gallery';
import type { SecretStore } from '../ports';
import type { Redactor } from '../redact';
import { OpenAIKey } from './api-key';
import type { OpenAIEngineConfig } from './engine';
import { ExportFolders } from './export-folders';
import { ModelDirectory, ModelListStore } from './models/directory';
import { StudioModelsService } from './models/service';
import { ComicSessions } from './sessions';
import { StudioSettingsStore, StyleStore } from './settings';

export interface Studio {
  sessions: ComicSessions;
  settings: StudioSettingsStore;
  styles: StyleStore;
  key: OpenAIKey;
  models: StudioModelsService;
  exportFolders: ExportFolders;
  close(): Promise<void>;
}

/**
 * Comic Studio for createCore: settings, styles, the API key and the sessions. Versions a
 * crash left 'generating' are failed before anything else reads them.
 */
export async function createStudio(deps: {
  db: Db;
  gallery: GalleryQueries;
  notifier: Notifier;
  studioDir: string;
  /** The data directory: its `exports` folder is where exports go without asking. */
  dataDir: string;
  /** The native folder picker for exports, where the shell has one. */
  pickExportFolder?: () => Promise<string | null>;
  secrets?: SecretStore;
  /** Learns the key, so that nothing leaving the core carries it. */
  redactor: Redactor;
  engineDefaults?: Partial<OpenAIEngineConfig>;
  /** The clock shutdown dates are read against (tests pin it). */
  now?: () => number;
}): Promise<Studio> {
  const settings = new StudioSettingsStore(deps.db);
  const styles = new StyleStore(deps.db);
  const key = new OpenAIKey(deps.secrets, settings, deps.redactor);
  const directory = new ModelDirectory(new ModelListStore(deps.db), deps.now);
  const models = new StudioModelsService(directory, settings, key, deps.now);
  const sessions = new ComicSessions({ ...deps, settings, styles, key, models });
  const exportFolders = new ExportFolders(deps.db, deps.dataDir, deps.pickExportFolder);
  await sessions.recoverInterrupted();
  return { sessions, settings, styles, key, models, exportFolders, close: () => sessions.close() };
}
