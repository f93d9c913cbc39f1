import { z } from 'zod';
import type {
  AppInfo,
  DuplicateGroup,
  EmbeddingModel,
  LibraryStatus,
  PhotoDetail,
  PhotoPage,
  Problem,
  SimilarResult,
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
const similarQuery = z.object({
  k: z.number().int().min(1).max(1000).default(60),
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
      limit: z.number().int().min(1).max(1000).default(200),
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
      limit: z.number().int().min(1).max(1000).default(200),
    })
    .strict(),
  'jobs:pause': none,
  'jobs:resume': none,
  /** What the gallery shows right now: their thumbnails and vectors are made first. */
  'photos:visible': z.object({ ids: z.array(id).max(2000) }).strict(),

  'models:list': none,
  'models:use': z.object({ id: modelId }).strict(),
  'models:download': z.object({ id: modelId }).strict(),
  'models:import': z.object({ id: modelId, path: z.string().trim().min(1).max(4096) }).strict(),
  'embeddings:threads': z.object({ cpuThreads: z.number().int().min(1).max(256) }).strict(),
  'embeddings:cancel': none,

  'photos:similar': similarQuery.extend({ id }).strict(),
  'photos:similar-to-many': similarQuery.extend({ ids: z.array(id).min(1).max(500) }).strict(),
  'photos:duplicates': z
    .object({
      threshold: z.number().min(0.5).max(1).default(0.92),
      limit: z.number().int().min(1).max(5000).default(500),
    })
    .strict(),
  /** Moves files to the OS trash: only after the user confirmed, never a silent delete. */
  'photos:trash': z.object({ ids: z.array(id).min(1).max(10_000), confirmed: z.literal(true) }).strict(),

  'vectors:status': none,
  'vectors:configure': z.object({ config: storeConfigSchema }).strict(),
  'vectors:test': z.object({ config: storeConfigSchema }).strict(),
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
  'photos:visible': { ok: true };
  'models:list': { models: EmbeddingModel[]; cpuThreads: number; workers: number; threadsPerWorker: number };
  'models:use': { models: EmbeddingModel[] };
  'models:download': { started: boolean };
  'models:import': { models: EmbeddingModel[] };
  'embeddings:threads': { workers: number; threadsPerWorker: number };
  'embeddings:cancel': { cancelled: number };
  'photos:similar': SimilarResult;
  'photos:similar-to-many': SimilarResult;
  'photos:duplicates': { groups: DuplicateGroup[] };
  'photos:trash': { trashed: number; failed: { id: number; reason: string }[] };
  'vectors:status': VectorStoreStatus;
  'vectors:configure': VectorStoreStatus;
  'vectors:test': { ok: boolean; message: string };
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

/** A request that failed validation, with a reason a developer can act on. */
export class BadRequestError extends Error {
  override name = 'BadRequestError';
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

/** An error the user should read: what happened and what to do. Crosses the boundary as-is. */
export interface ApiErrorBody {
  error: { name: string; message: string };
}
