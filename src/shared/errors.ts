/**
 * Errors that are answers rather than failures, by name, with the HTTP status browser mode
 * gives them. Both shells send every failed call to the window as `{ name, message }`
 * (HTTP: the body of an error status; IPC: `{ ok: false, error }`), and neither logs an
 * expected one as a failure. The window tells kinds apart by name: an export that would
 * replace files asks "overwrite?" and calls again.
 *
 * Plain values, no zod: the renderer imports this module, and the Api schemas stay out of its
 * bundle. A class that throws one of these sets `name = '…' satisfies ExpectedErrorName`, so
 * a renamed class fails to compile instead of silently becoming a 500.
 */
export const expectedErrors = {
  /** The payload does not match the contract (shared/api.ts): the reasons are in the message. */
  BadRequestError: 400,
  /** Electron: the call did not come from the top frame of Komorebi's own page. */
  ForbiddenError: 403,
  /** Browser mode: there is no Api method of that name. */
  NotFoundError: 404,
  /** Browser mode: an Api method was called with another HTTP method than POST. */
  MethodNotAllowedError: 405,
  /** An export would replace files that exist; nothing was written. The window asks to overwrite. */
  ExportConflictError: 409,
  /** An export into a folder the user did not choose for exports; nothing was written. The window asks. */
  ExportFolderError: 403,
  /** Browser mode: the request body is larger than any request in the contract. */
  PayloadTooLargeError: 413,
  /** Browser mode: the body is not application/json (how a form on a foreign page would post). */
  UnsupportedMediaTypeError: 415,
  /** A folder or photo request that cannot be done as asked: not a folder, already watched, gone. */
  LibraryRequestError: 422,
  /** An embedding model that cannot be used as asked: unknown, not on this computer, not a model. */
  ModelRequestError: 422,
  /** A Comic Studio request that cannot be done as asked: no key, no reference, a version gone. */
  StudioRequestError: 422,
  /** The vector store refused or could not be reached (Milvus down, a wrong token, a full disk). */
  VectorStoreError: 502,
} as const satisfies Record<string, number>;

export type ExpectedErrorName = keyof typeof expectedErrors;

/** What a shell sends the window for a failed call. */
export interface ErrorReply {
  name: string;
  message: string;
}

/**
 * What crosses IPC for one call. Electron's contextBridge and ipcRenderer.invoke rebuild a
 * thrown error from its message only, so an error travels as data, never as a throw.
 */
export type IpcResult<T = unknown> = { ok: true; value: T } | { ok: false; error: ErrorReply };

export function isExpectedError(name: string): name is ExpectedErrorName {
  return Object.hasOwn(expectedErrors, name);
}

/** The HTTP status of an expected error's name, or undefined for a real failure. */
export function expectedErrorStatus(name: string): number | undefined {
  return isExpectedError(name) ? expectedErrors[name] : undefined;
}

/** The reply for anything a handler threw: its name (Error when it has none) and message. */
export function errorReply(error: unknown): ErrorReply {
  const name = error instanceof Error && error.name ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return { name, message };
}

/** A reply of an expected kind that a shell answers itself (a refused sender, an unknown method). */
export function expectedReply(name: ExpectedErrorName, message: string): ErrorReply {
  return { name, message };
}

/** A request that failed validation, with a reason a developer can act on. */
export class BadRequestError extends Error {
  override name = 'BadRequestError' satisfies ExpectedErrorName;
}
