import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ApiHandlers, isApiMethod, parseRequest } from '../../shared/api';
import { type ExpectedErrorName, errorReply, expectedReply } from '../../shared/errors';
import { sendError, sendJson } from './respond';

/** Bodies larger than this are refused: every request in the contract is a few kilobytes at most. */
export const maxBodyBytes = 1024 * 1024;

class PayloadTooLargeError extends Error {
  override name = 'PayloadTooLargeError' satisfies ExpectedErrorName;
}

/**
 * `POST /api/<method>`: JSON in, JSON out. The payload is validated with the contract's schema
 * before a handler sees it; every failure is an answer, never a crash.
 */
export async function handleApiCall(
  req: IncomingMessage,
  res: ServerResponse,
  rawMethod: string,
  handlers: ApiHandlers,
): Promise<void> {
  let method: string;
  try {
    method = decodeURIComponent(rawMethod);
  } catch {
    method = '';
  }
  if (!isApiMethod(method)) {
    sendError(res, expectedReply('NotFoundError', `There is no API method "${method}".`));
    return;
  }
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    sendError(res, expectedReply('MethodNotAllowedError', `Call ${method} with POST.`));
    return;
  }
  const type = req.headers['content-type'];
  if (type !== undefined && !/^application\/json\s*(;|$)/i.test(type)) {
    // Forms and text/plain are how a foreign page would forge a request: JSON only.
    sendError(res, expectedReply('UnsupportedMediaTypeError', 'Send the request body as application/json.'));
    return;
  }
  let input: unknown;
  try {
    const body = await readBody(req, maxBodyBytes);
    input = body.length === 0 ? undefined : JSON.parse(body);
  } catch (error) {
    if (error instanceof PayloadTooLargeError) sendError(res, errorReply(error));
    else sendError(res, expectedReply('BadRequestError', `The body of ${method} is not valid JSON.`));
    return;
  }
  try {
    const parsed = parseRequest(method, input);
    // The method is checked above; TypeScript cannot narrow a handler map by a runtime key.
    const handler = handlers[method] as (input: unknown) => Promise<unknown>;
    const output = await handler(parsed);
    sendJson(res, 200, output ?? null);
  } catch (error) {
    if (sendError(res, errorReply(error)) === 500) console.error(`[komorebi] ${method} failed:`, error);
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      reject(new PayloadTooLargeError(`The request body is larger than ${limit} bytes.`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new PayloadTooLargeError(`The request body is larger than ${limit} bytes.`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
