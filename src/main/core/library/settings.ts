// Every setting the core keeps in the settings table, with the type it holds and how it is
// written there. One store reads and writes them all, so a setting is named and parsed in one
// place instead of each owner repeating its own upsert. Rows written by earlier versions keep
// their format: the model id and the thread count are plain text, the rest JSON.
import type { StudioSettings } from '../../../shared/model';
import { parseStoredStoreConfig, type StoreConfig } from '../../../shared/store-config';
import type { Db } from './db';

interface SettingFormat<T> {
  /** The stored text as a value, or undefined when it is damaged (the owner's default applies). */
  read(raw: string): T | undefined;
  write(value: T): string;
}

const text: SettingFormat<string> = { read: (raw) => raw, write: (value) => value };

const count: SettingFormat<number> = {
  read: (raw) => (raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : undefined),
  write: (value) => String(value),
};

function json<T>(check: (value: unknown) => T | undefined): SettingFormat<T> {
  return {
    read(raw) {
      try {
        return check(JSON.parse(raw));
      } catch {
        return undefined;
      }
    },
    write: (value) => JSON.stringify(value),
  };
}

const SETTINGS = {
  /** Activity's Pause, remembered across restarts. */
  'jobs.paused': json((v) => (typeof v === 'boolean' ? v : undefined)),
  /** The embedding model the user chose (it may not be installed any more). */
  'embed.model': text,
  /** CPU threads the user gave to embedding. */
  'embed.threads': count,
  /** The first-run suggestion to get ResNet-50 was read or answered. */
  'embed.suggestion-dismissed': json((v) => (typeof v === 'boolean' ? v : undefined)),
  /** The vector store the user chose; a Milvus token is kept in the secret store, not here. */
  'vectors.store': json<StoreConfig>((v) => parseStoredStoreConfig(v) ?? undefined),
  /** Only what the user changed of the Comic Studio settings, so defaults still apply to the rest. */
  'studio.settings': json<Partial<StudioSettings>>((v) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Partial<StudioSettings>) : undefined,
  ),
  /** The last list of models OpenAI gave for an endpoint (GET /v1/models), used without key or network. */
  'studio.models': json<SavedModelList>((v) =>
    v !== null && typeof v === 'object' && Array.isArray((v as SavedModelList).models)
      ? (v as SavedModelList)
      : undefined,
  ),
  /** Folders the user chose for Comic Studio exports (the picker, or typed and confirmed), newest first. */
  'studio.export-folders': json<ChosenExportFolder[]>((v) =>
    Array.isArray(v)
      ? v.filter(
          (f): f is ChosenExportFolder =>
            typeof f?.path === 'string' && (f.how === 'picked' || f.how === 'typed'),
        )
      : undefined,
  ),
};

export interface ChosenExportFolder {
  /** Its real path when it was chosen. */
  path: string;
  how: 'picked' | 'typed';
}

interface SavedModelList {
  baseURL: string;
  fetchedAt: number;
  models: { id: string; shutdownDate: string | null }[];
}

export type SettingName = keyof typeof SETTINGS;
export type SettingValue<K extends SettingName> =
  (typeof SETTINGS)[K] extends SettingFormat<infer T> ? T : never;

/** The settings table: one row per setting, each read and written through its format above. */
export class SettingsStore {
  private readonly select;
  private readonly upsert;

  constructor(db: Db) {
    this.select = db.prepare('SELECT value FROM settings WHERE key = ?').pluck();
    this.upsert = db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    );
  }

  /** The saved value, or undefined when nothing (or something unreadable) is saved. */
  get<K extends SettingName>(name: K): SettingValue<K> | undefined {
    const raw = this.select.get(name) as string | undefined;
    if (raw === undefined) return undefined;
    return (SETTINGS[name] as SettingFormat<SettingValue<K>>).read(raw);
  }

  set<K extends SettingName>(name: K, value: SettingValue<K>): void {
    this.upsert.run(name, (SETTINGS[name] as SettingFormat<SettingValue<K>>).write(value));
  }
}
