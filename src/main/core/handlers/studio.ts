import type { ApiHandlers } from '../../../shared/api';
import { NO_KEY_MESSAGE, type OpenAIKey } from '../studio/api-key';
import { checkModels } from '../studio/connection';
import { exportComics } from '../studio/export-comics';
import type { ExportFolders } from '../studio/export-folders';
import { offeredQualities, offeredSizes } from '../studio/models/params';
import type { StudioModelsService } from '../studio/models/service';
import { listLayouts } from '../studio/prompt';
import type { ComicSessions } from '../studio/sessions';
import type { StudioSettingsStore, StyleStore } from '../studio/settings';

type StudioMethods = Extract<keyof ApiHandlers, `studio:${string}`>;

export interface StudioServices {
  sessions: ComicSessions;
  settings: StudioSettingsStore;
  styles: StyleStore;
  key: OpenAIKey;
  models: StudioModelsService;
  exportFolders: ExportFolders;
}

export function studioHandlers(s: StudioServices): Pick<ApiHandlers, StudioMethods> {
  const { sessions, settings, styles, key, models, exportFolders } = s;
  return {
    'studio:options': async () => {
      const current = settings.get();
      const m = await models.view();
      const access = await key.access();
      // Sizes and qualities are those of the image model the next generation draws with.
      const drawing =
        current.engine === 'openai-images' ? m.effective.imagesModel : m.effective.responsesImageModel;
      return {
        styles: styles.list(),
        layouts: listLayouts().map((l) => ({
          panels: l.panels,
          arrangement: l.arrangement,
          name: l.name,
          size: l.size,
        })),
        sizes: offeredSizes(drawing),
        qualities: offeredQualities(drawing),
        settings: current,
        hasKey: access.apiKey !== undefined,
        keyStorage: key.storage(),
        endpoint: access.endpoint,
        keyProblem: access.problem,
        exportFolder: exportFolders.defaultFolder(),
        models: m,
      };
    },
    'studio:models': async ({ refresh }) => (refresh ? models.refresh() : models.view()),
    'studio:settings': async (change) => settings.update(change),
    'studio:set-key': async ({ key: value, baseUrl }) => {
      await key.save(value, baseUrl);
      return { hasKey: await key.hasKey() };
    },
    'studio:test-key': async () => {
      const current = settings.get();
      const { apiKey, endpoint, problem } = await key.access();
      if (!apiKey) return { ok: false, message: problem ?? NO_KEY_MESSAGE, checks: [] };
      const m = await models.refresh();
      const toCheck =
        current.engine === 'openai-images'
          ? [{ model: m.effective.imagesModel, role: 'image' as const }]
          : [
              { model: m.effective.responsesModel, role: 'main' as const },
              { model: m.effective.responsesImageModel, role: 'image' as const },
            ];
      return checkModels({ apiKey, baseURL: endpoint }, toCheck);
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
    // Only into a folder the user chose (export-folders.ts); the real path is what is written to.
    'studio:export': async (input) =>
      exportComics(sessions, { ...input, folder: await exportFolders.authorise(input.folder) }),
    'studio:pick-folder': async () => ({ path: await exportFolders.pick() }),
    'studio:confirm-folder': async ({ path }) => ({ path: await exportFolders.confirm(path) }),
    'studio:save-style': async ({ name, prompt }) => styles.save(name, prompt),
    'studio:delete-style': async ({ id }) => styles.delete(id),
  };
}
