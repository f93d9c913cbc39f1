import type { ServerResponse } from 'node:http';
import { type ErrorReply, expectedErrorStatus } from '../../shared/errors';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

/**
 * A failed call: `{ error: { name, message } }` with the status shared/errors.ts gives the
 * name, 500 for anything else. Returns the status sent.
 */
export function sendError(res: ServerResponse, error: ErrorReply): number {
  const status = expectedErrorStatus(error.name) ?? 500;
  sendJson(res, status, { error });
  return status;
}
