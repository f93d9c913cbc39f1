/**
 * Errors from the core reach the user as their message. Electron wraps errors thrown by an
 * ipcMain handler as "Error invoking remote method 'x': Error: message"; unwrap that so
 * both shells show the same sentence.
 */
export function cleanIpcErrorMessage(message: string): string {
  const unwrapped = message.replace(/^Error invoking remote method '[^']*':\s*/, '');
  return unwrapped.replace(/^(?:[A-Z][A-Za-z]*Error|Error):\s*/, '');
}

/** The message of an HTTP error body `{error:{name,message}}`, or a fallback naming the status. */
export function messageFromErrorBody(body: unknown, status: number, method: string): string {
  if (typeof body === 'object' && body !== null && 'error' in body) {
    const error = (body as { error: unknown }).error;
    if (typeof error === 'object' && error !== null && 'message' in error) {
      const message = (error as { message: unknown }).message;
      if (typeof message === 'string' && message.length > 0) return message;
    }
  }
  if (status === 401 || status === 403) {
    return 'Komorebi refused this window (the access token is missing or expired). Open the link printed by `npm run serve` again.';
  }
  return `The Komorebi server could not complete ${method} (HTTP ${status}). Check that it is still running.`;
}

/** The Error a failed HTTP call throws: the core's message, and its name when it sent one. */
export function errorFromBody(body: unknown, status: number, method: string): Error {
  const error = new Error(messageFromErrorBody(body, status, method));
  const name = (body as { error?: { name?: unknown } } | null)?.error?.name;
  if (typeof name === 'string' && name.length > 0) error.name = name;
  return error;
}
