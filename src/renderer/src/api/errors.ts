import type { ApiMethod } from '../../../shared/api';
import type { ErrorReply, ExpectedErrorName, IpcResult } from '../../../shared/errors';

/**
 * A failed Api call as the window sees it, built the same way from both shells: the core's
 * error name (ExportConflictError, StudioRequestError, ... see shared/errors.ts, or Error)
 * and its message, written for the user.
 */
export class ApiError extends Error {
  constructor(
    readonly method: ApiMethod,
    reply: ErrorReply,
  ) {
    super(reply.message);
    this.name = reply.name;
  }
}

/** True when `error` is the expected kind `name`, whichever shell it came through. */
export function isErrorKind(error: unknown, name: ExpectedErrorName): boolean {
  return error instanceof Error && error.name === name;
}

/** The sentence to show for anything a call or an effect threw. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The ApiError for a reply `{ name, message }`; `fallback` is the message when it has none. */
export function errorFromReply(method: ApiMethod, reply: unknown, fallback: string): ApiError {
  const { name, message } = (typeof reply === 'object' && reply !== null ? reply : {}) as Partial<
    Record<keyof ErrorReply, unknown>
  >;
  return new ApiError(method, {
    name: typeof name === 'string' && name.length > 0 ? name : 'Error',
    message: typeof message === 'string' && message.length > 0 ? message : fallback,
  });
}

/** Browser mode: the error of an HTTP error status, from its body `{ error: { name, message } }`. */
export function errorFromBody(body: unknown, status: number, method: ApiMethod): ApiError {
  const reply = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  const fallback =
    status === 401 || status === 403
      ? 'Komorebi refused this window (the access token is missing or expired). Open the link printed by `npm run serve` again.'
      : `The Komorebi server could not complete ${method} (HTTP ${status}). Check that it is still running.`;
  return errorFromReply(method, reply, fallback);
}

/** Electron: the value of an IpcResult, or its error rebuilt as an ApiError and thrown. */
export function valueOfResult<T>(method: ApiMethod, result: IpcResult<T> | undefined): T {
  if (result?.ok === true) return result.value;
  throw errorFromReply(
    method,
    result?.ok === false ? result.error : undefined,
    `Komorebi's app could not complete ${method}. Restart Komorebi.`,
  );
}

/**
 * What Electron itself throws when an invoke fails before our handler answers (no handler
 * yet, the window closing): "Error invoking remote method 'x': Error: message". Unwrapped, so
 * the user reads the same sentence as in browser mode.
 */
export function cleanIpcErrorMessage(message: string): string {
  const unwrapped = message.replace(/^Error invoking remote method '[^']*':\s*/, '');
  return unwrapped.replace(/^(?:[A-Z][A-Za-z]*Error|Error):\s*/, '');
}
