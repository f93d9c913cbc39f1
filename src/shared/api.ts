import { z } from 'zod';
import { secretEndpointProblem } from './endpoints';
import { BadRequestError } from './errors';
import { limits } from './limits';
import type {
  AppInfo,
  ComicSession,
  ComicSessionSummary,
  ComicStyle,
  DuplicateGroup,
  EmbeddingModel,
  FailedJob,
  LibraryStatus,
  PanelCut,
  PhotoDetail,
  PhotoPage,
  Problem,
  SimilarResult,
  StudioModels,
  StudioOptions,
  StudioSettings,
  TimelineMonth,
  VectorStoreStatus,
  WatchedFolder,
} from './model';
import { storeConfigSchema } from './store-config';

/**
 * The contract between the window and the core: every request, its input schema, its
 * output type. Shells validate every payload with these schemas before a handler sees it.
 * Names are kebab-case `noun:verb`.
 */
const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const epochMs = z.number().int().min(-62_135_596_800_000).max(253_402_300_799_000);
const none = z.object({}).strict();
const modelId = z.string().regex(/^[a-z0-9][a-z0-9.-]{0,63}$/);
const modelName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._:/-]{1,100}$/);
/** A model setting of the Studio: a model name, or '' to choose automatically. */
const modelSetting = z.union([z.literal(''), modelName]);
const title = z.string().trim().min(1).max(limits.titleChars);
/** An OpenAI-compatible endpoint, or '' for OpenAI's own: https, or plain http to this computer. */
const endpointSetting = z.union([
  z.literal(''),
  z
    .string()
    .trim()
    .max(2048)
    .superRefine((value, ctx) => {
      const problem = secretEndpointProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
]);
const rect = z
  .object({
    x: z.number().min(0),
    y: z.number().min(0),
    width: z.number().positive(),
    height: z.number().positive(),
  })
  .strict();
const comicOptions = z
  .object({
    style: z.string().min(1).max(100),
    panels: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(6)]),
    arrangement: z.enum(['strip', 'grid']),
    size: z.string().regex(/^(auto|\d{3,4}x\d{3,4})$/),
    quality: z.enum(['low', 'medium', 'high', 'xhigh', 'max', 'auto']),
    variations: z.number().int().min(1).max(4),
  })
  .strict();
const similarQuery = z.object({
  k: z.number().int().min(1).max(limits.similarHits.max).default(limits.similarHits.default),
  minScore: z.number().min(0).max(1).default(0),
  folderIds: z.array(id).max(1000).optional(),
  from: epochMs.optional(),
  to: epochMs.optional(),
});

export const requests = {
  'app:info': none,
  'folders:add': z.object({ path: z.string().trim().min(1).max(4096) }).strict(),
  'folders:remove': z.object({ id }).strict(),
  'folders:list': none,
  'folders:rescan': z.object({ id }).strict(),
  'folders:pick': none,
  'photos:list': z
    .object({
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(limits.page.max).default(limits.page.default),
      folderIds: z.array(id).max(1000).optional(),
      from: epochMs.optional(),
      to: epochMs.optional(),
    })
    .strict(),
  'photos:timeline': z
    .object({
      folderIds: z.array(id).max(1000).optional(),
      from: epochMs.optional(),
      to: epochMs.optional(),
    })
    .strict(),
  'photos:get': z.object({ id }).strict(),
  'library:status': none,
  'library:problems': z
    .object({
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(limits.page.max).default(limits.page.default),
    })
    .strict(),
  'jobs:pause': none,
  'jobs:resume': none,
  /** Work that failed for good or was set aside (it may crash the app), with reasons: Activity lists it. */
  'jobs:failed': z.object({ limit: z.number().int().min(1).max(1000).default(100) }).strict(),
  /** Puts failed work back in line (all of it, or one kind): Activity's Retry. */
  'jobs:retry': z.object({ kind: z.string().min(1).max(64).optional() }).strict(),
  /** What the gallery shows right now: their thumbnails and vectors are made first. */
  'photos:visible': z.object({ ids: z.array(id).max(2000) }).strict(),

  'models:list': none,
  'models:use': z.object({ id: modelId }).strict(),
  /** Gets the model: from a checked local copy when there is one (Hugging Face cache), else downloads it. */
  'models:download': z.object({ id: modelId }).strict(),
  'models:cancel-download': z.object({ id: modelId }).strict(),
  'models:import': z.object({ id: modelId, path: z.string().trim().min(1).max(4096) }).strict(),
  /** The first-run suggestion to get ResNet-50 was read: do not show it again. */
  'models:dismiss-notice': none,
  'embeddings:threads': z
    .object({ cpuThreads: z.number().int().min(limits.cpuThreads.min).max(limits.cpuThreads.max) })
    .strict(),
  'embeddings:cancel': none,

  'photos:similar': similarQuery.extend({ id }).strict(),
  'photos:similar-to-many': similarQuery
    .extend({ ids: z.array(id).min(1).max(limits.similarFromPhotos) })
    .strict(),
  'photos:duplicates': z
    .object({
      threshold: z
        .number()
        .min(limits.duplicates.threshold.min)
        .max(limits.duplicates.threshold.max)
        .default(limits.duplicates.threshold.default),
      limit: z
        .number()
        .int()
        .min(1)
        .max(limits.duplicates.groups.max)
        .default(limits.duplicates.groups.default),
    })
    .strict(),
  /**
   * Moves files to the OS trash: only after the user confirmed, never a silent delete.
   * `hashes`: each photo's content hash as the window listed it (in the order of `ids`); a
   * file whose content changed since is not moved.
   */
  'photos:trash': z
    .object({
      ids: z.array(id).min(1).max(10_000),
      hashes: z
        .array(z.string().regex(/^[0-9a-f]{64}$/))
        .max(10_000)
        .optional(),
      confirmed: z.literal(true),
    })
    .strict()
    .refine((v) => !v.hashes || v.hashes.length === v.ids.length, {
      message: 'hashes must give one content hash per id, in the same order',
      path: ['hashes'],
    }),

  'vectors:status': none,
  'vectors:configure': z.object({ config: storeConfigSchema }).strict(),
  'vectors:test': z.object({ config: storeConfigSchema }).strict(),

  'studio:options': none,
  'studio:settings': z
    .object({
      engine: z.enum(['openai-responses', 'openai-images']).optional(),
      responsesModel: modelSetting.optional(),
      responsesImageModel: modelSetting.optional(),
      imagesModel: modelSetting.optional(),
      referenceMaxSide: z
        .number()
        .int()
        .min(limits.referenceMaxSide.min)
        .max(limits.referenceMaxSide.max)
        .optional(),
    })
    .strict(),
  /**
   * Saves (or with null, forgets) the OpenAI API key in the main process, together with the
   * endpoint it is for, which becomes the Studio's endpoint: the key goes there and nowhere
   * else. The endpoint changes only here, so moving the key elsewhere takes the key itself
   * (decision 0032). It never comes back.
   */
  'studio:set-key': z
    .object({ key: z.string().trim().min(1).max(1024).nullable(), baseUrl: endpointSetting })
    .strict(),
  'studio:test-key': none,
  /** The models the key can use; `refresh` asks OpenAI again instead of using the last list. */
  'studio:models': z.object({ refresh: z.boolean().default(false) }).strict(),
  'studio:sessions': none,
  'studio:create': z
    .object({ photoIds: z.array(id).min(1).max(limits.comicPhotos), title: title.optional() })
    .strict(),
  'studio:get': z.object({ id }).strict(),
  'studio:rename': z.object({ id, title }).strict(),
  'studio:delete': z.object({ id }).strict(),
  'studio:references': z
    .object({
      id,
      references: z.array(z.object({ photoId: id, included: z.boolean() }).strict()).max(limits.comicPhotos),
    })
    .strict(),
  /** Starts a generation; progress and partial images arrive as 'studio:progress' events. */
  'studio:generate': z
    .object({
      id,
      prompt: z.string().trim().min(1).max(limits.promptChars),
      options: comicOptions,
      /** The version to refine (a new branch when it is not the latest). */
      parentVersionId: id.optional(),
      /** Redraw only this rectangle (a panel) of the parent's page; everything outside it stays as it was. */
      region: rect.optional(),
    })
    .strict(),
  'studio:cancel': z.object({ id }).strict(),
  'studio:panels': z.object({ versionId: id }).strict(),
  'studio:export': z
    .object({
      versionIds: z.array(id).min(1).max(200),
      formats: z.array(z.enum(['page', 'panels', 'pdf', 'cbz'])).min(1),
      folder: z.string().trim().min(1).max(4096),
      /** Panel rectangles the user adjusted, by version id. */
      cuts: z.record(z.string(), z.array(rect).max(12)).optional(),
      pdf: z
        .object({ size: z.enum(['A4', 'A5', 'Letter', 'Legal', 'Tabloid']), perPanel: z.boolean() })
        .strict()
        .optional(),
      overwrite: z.boolean().default(false),
    })
    .strict(),
  /** The system's folder window (Electron); the folder picked may then be exported to. */
  'studio:pick-folder': none,
  /**
   * Browser mode: the user typed this export folder and confirmed it in the export dialog; it
   * may then be exported to (decision 0045). Refused where there is a folder picker.
   */
  'studio:confirm-folder': z
    .object({ path: z.string().trim().min(1).max(4096), confirmed: z.literal(true) })
    .strict(),
  'studio:save-style': z
    .object({ name: title, prompt: z.string().trim().min(1).max(limits.stylePromptChars) })
    .strict(),
  'studio:delete-style': z.object({ id: z.string().min(1).max(100) }).strict(),
} as const;

export interface ApiOutputs {
  'app:info': AppInfo;
  'folders:add': WatchedFolder;
  'folders:remove': { removed: boolean };
  'folders:list': WatchedFolder[];
  'folders:rescan': WatchedFolder;
  'folders:pick': { path: string | null };
  'photos:list': PhotoPage;
  'photos:timeline': { total: number; months: TimelineMonth[] };
  'photos:get': PhotoDetail | null;
  'library:status': LibraryStatus;
  'library:problems': { total: number; items: Problem[] };
  'jobs:pause': LibraryStatus;
  'jobs:resume': LibraryStatus;
  'jobs:failed': { items: FailedJob[] };
  'jobs:retry': LibraryStatus;
  'photos:visible': { ok: true };
  'models:list': {
    models: EmbeddingModel[];
    cpuThreads: number;
    workers: number;
    threadsPerWorker: number;
    /** Show the first-run suggestion: the recommended model is not here and it was not dismissed. */
    suggestRecommended: boolean;
  };
  'models:use': { models: EmbeddingModel[] };
  'models:download': { started: boolean; from: 'download' | 'local-copy' };
  'models:cancel-download': { cancelled: boolean };
  'models:import': { models: EmbeddingModel[] };
  'models:dismiss-notice': { ok: true };
  'embeddings:threads': { workers: number; threadsPerWorker: number };
  'embeddings:cancel': { cancelled: number };
  'photos:similar': SimilarResult;
  'photos:similar-to-many': SimilarResult;
  'photos:duplicates': { groups: DuplicateGroup[] };
  'photos:trash': { trashed: number; failed: { id: number; reason: string }[] };
  'vectors:status': VectorStoreStatus;
  'vectors:configure': VectorStoreStatus;
  'vectors:test': { ok: boolean; message: string };
  'studio:options': StudioOptions;
  'studio:settings': StudioSettings;
  'studio:set-key': { hasKey: boolean };
  'studio:test-key': {
    ok: boolean;
    message: string;
    /** One line per model the next generation uses. */
    checks: { model: string; role: 'main' | 'image'; ok: boolean; message: string }[];
  };
  'studio:models': StudioModels;
  'studio:sessions': ComicSessionSummary[];
  'studio:create': ComicSession;
  'studio:get': ComicSession | null;
  'studio:rename': ComicSession;
  'studio:delete': { deleted: boolean };
  'studio:references': ComicSession;
  'studio:generate': { versionIds: number[] };
  'studio:cancel': { cancelled: boolean };
  'studio:panels': PanelCut;
  'studio:export': { files: string[] };
  'studio:pick-folder': { path: string | null };
  'studio:confirm-folder': { path: string };
  'studio:save-style': ComicStyle[];
  'studio:delete-style': ComicStyle[];
}

export type ApiMethod = keyof typeof requests;
export type ApiInput<M extends ApiMethod> = z.input<(typeof requests)[M]>;
export type ApiParsedInput<M extends ApiMethod> = z.output<(typeof requests)[M]>;
export type ApiOutput<M extends ApiMethod> = ApiOutputs[M];

/** What the window calls: one function per request. */
export type Api = { [M in ApiMethod]: (input: ApiInput<M>) => Promise<ApiOutput<M>> };

/** What the core implements: handlers receive inputs already validated and defaulted. */
export type ApiHandlers = { [M in ApiMethod]: (input: ApiParsedInput<M>) => Promise<ApiOutput<M>> };

export const apiMethods = Object.keys(requests) as ApiMethod[];

export function isApiMethod(name: string): name is ApiMethod {
  return Object.hasOwn(requests, name);
}

/** Validates a payload for a method; throws BadRequestError with every issue listed. */
export function parseRequest<M extends ApiMethod>(method: M, payload: unknown): ApiParsedInput<M> {
  const result = requests[method].safeParse(payload ?? {});
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
    throw new BadRequestError(`Invalid input for ${method}: ${issues}`);
  }
  return result.data as ApiParsedInput<M>;
}
