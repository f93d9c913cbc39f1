import type { ComicStyle, StudioSettings } from '../../../shared/model';
import type { Db } from '../library/db';
import { SettingsStore } from '../library/settings';
import { BUILT_IN_STYLES } from './prompt';
import { DEFAULT_REFERENCE_MAX_SIDE } from './references';
import { StudioRequestError } from './sessions';

/** Models are '' (automatic): chosen from what the key can use at each generation, never a fixed name. */
export function defaultStudioSettings(env: NodeJS.ProcessEnv = process.env): StudioSettings {
  return {
    engine: 'openai-responses',
    responsesModel: '',
    responsesImageModel: '',
    imagesModel: '',
    baseUrl: env.OPENAI_BASE_URL?.trim() ?? '',
    referenceMaxSide: DEFAULT_REFERENCE_MAX_SIDE,
  };
}

/** Comic Studio settings, one JSON row in the settings table; unknown or missing fields take defaults. */
export class StudioSettingsStore {
  private readonly settings: SettingsStore;

  constructor(db: Db) {
    this.settings = new SettingsStore(db);
  }

  get(): StudioSettings {
    return { ...defaultStudioSettings(), ...this.saved() };
  }

  /** Only what the user changed is stored, so defaults (and OPENAI_BASE_URL) still apply to the rest. */
  update(change: Partial<StudioSettings>): StudioSettings {
    const defined = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined));
    this.settings.set('studio.settings', { ...this.saved(), ...defined });
    return this.get();
  }

  /** A damaged row falls back to the defaults; the next change rewrites it. */
  private saved(): Partial<StudioSettings> {
    return this.settings.get('studio.settings') ?? {};
  }
}

const USER_STYLE_PREFIX = 'user-';

/** Drawing styles: the built-in presets, then the user's own (studio_presets), by name. */
export class StyleStore {
  constructor(private readonly db: Db) {}

  list(): ComicStyle[] {
    const rows = this.db
      .prepare('SELECT id, name, text FROM studio_presets ORDER BY name COLLATE NOCASE')
      .all() as {
      id: number;
      name: string;
      text: string;
    }[];
    return [
      ...BUILT_IN_STYLES.map((s) => ({ ...s })),
      ...rows.map((r) => ({
        id: `${USER_STYLE_PREFIX}${r.id}`,
        name: r.name,
        prompt: r.text,
        builtIn: false,
      })),
    ];
  }

  find(id: string): ComicStyle | undefined {
    return this.list().find((s) => s.id === id);
  }

  /** Saving under an existing name replaces that style's text. */
  save(name: string, prompt: string): ComicStyle[] {
    this.db
      .prepare(
        'INSERT INTO studio_presets (name, text, created_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET text = excluded.text',
      )
      .run(name, prompt, Date.now());
    return this.list();
  }

  delete(id: string): ComicStyle[] {
    if (BUILT_IN_STYLES.some((s) => s.id === id)) {
      throw new StudioRequestError(
        `"${BUILT_IN_STYLES.find((s) => s.id === id)!.name}" is a built-in style and cannot be deleted.`,
      );
    }
    const rowId = id.startsWith(USER_STYLE_PREFIX) ? Number(id.slice(USER_STYLE_PREFIX.length)) : Number.NaN;
    if (!Number.isInteger(rowId))
      throw new StudioRequestError(`There is no style "${id}". Refresh the list of styles.`);
    this.db.prepare('DELETE FROM studio_presets WHERE id = ?').run(rowId);
    return this.list();
  }
}
