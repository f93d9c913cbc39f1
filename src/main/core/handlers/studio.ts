import type { ApiHandlers } from '../../../shared/api';
import type { StudioOptions } from '../../../shared/model';
import type { CoreConfig } from '../ports';
import { checkOpenAIAccess } from '../studio/connection';
import { exportComics } from '../studio/export-comics';
import { listLayouts } from '../studio/prompt';
import type { ComicSessions } from '../studio/sessions';
import { StudioRequestError } from '../studio/sessions';
import type { OpenAIKey, StudioSettingsStore, StyleStore } from '../studio/settings';

type StudioMethods = Extract<keyof ApiHandlers, `studio:${string}`>;

export interface StudioServices {
  config: Pick<CoreConfig, 'pickExportFolder'>;
  sessions: ComicSessions;
  settings: StudioSettingsStore;
  styles: StyleStore;
  key: OpenAIKey;
}

const SIZES = ['auto', '1024x1024', '1536x1024', '1024x1536'];
const QUALITIES: StudioOptions['qualities'] = ['low', 'medium', 'high', 'auto'];

export function studioHandlers(s: StudioServices): Pick<ApiHandlers, StudioMethods> {
  const { config, sessions, settings, styles, key } = s;
  return {
    'studio:options': async () => ({
      styles: styles.list(),
      layouts: listLayouts().map((l) => ({
        panels: l.panels,
        arrangement: l.arrangement,
        name: l.name,
        size: l.size,
      })),
      sizes: SIZES,
      qualities: QUALITIES,
      settings: settings.get(),
      hasKey: (await key.get()) !== null,
      keyStorage: key.storage(),
    }),
    'studio:settings': async (change) => settings.update(change),
    'studio:set-key': async ({ key: value }) => {
      await key.set(value);
      return { hasKey: (await key.get()) !== null };
    },
    'studio:test-key': async () => {
      const current = settings.get();
      const model = current.engine === 'openai-images' ? current.imagesModel : current.responsesModel;
      try {
        await checkOpenAIAccess(
          { apiKey: (await key.get()) ?? undefined, baseURL: current.baseUrl || undefined },
          [model],
        );
        return { ok: true, message: `The key works and may use ${model}.` };
      } catch (err) {
        return { ok: false, message: err instanceof Error ? err.message : String(err) };
      }
    },
    'studio:sessions': async () => sessions.list(),
    'studio:create': async ({ photoIds, title }) => sessions.create(photoIds, title),
    'studio:get': async ({ id }) => sessions.get(id),
    'studio:rename': async ({ id, title }) => sessions.rename(id, title),
    'studio:delete': async ({ id }) => ({ deleted: await sessions.delete(id) }),
    'studio:references': async ({ id, references }) => sessions.setReferences(id, references),
    'studio:generate': async (input) => sessions.generate(input),
    'studio:cancel': async ({ id }) => ({ cancelled: await sessions.cancel(id) }),
    'studio:panels': async ({ versionId }) => sessions.panels(versionId),
    'studio:export': async (input) => exportComics(sessions, input),
    'studio:pick-folder': async () => {
      if (!config.pickExportFolder) {
        throw new StudioRequestError(
          'This window cannot open a folder picker: type the folder path instead.',
        );
      }
      return { path: await config.pickExportFolder() };
    },
    'studio:save-style': async ({ name, prompt }) => styles.save(name, prompt),
    'studio:delete-style': async ({ id }) => styles.delete(id),
  };
}
