import { z } from 'zod';
import type {
  AppInfo,
  LibraryStatus,
  PhotoDetail,
  PhotoPage,
  Problem,
  TimelineMonth,
  WatchedFolder,
} from './model';

/**
 * The contract between the window and the core: every request, its input schema, its
 * output type. Shells validate every payload with these schemas before a handler sees it.
 * Names are kebab-case `noun:verb`.
 */
const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const epochMs = z.number().int().min(-62_135_596_800_000).max(253_402_300_799_000);
const none = z.object({}).strict();

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
