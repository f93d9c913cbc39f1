/**
 * A server that stands for someone else's machine: it records every request that reaches it
 * (method, path, headers) and answers 404 in OpenAI's error envelope, so a client that sends a
 * key there is caught in the act.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CapturedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

export interface CaptureServer {
  /** http://<host>:<port>/v1 */
  baseURL: string;
  requests: CapturedRequest[];
  /** Every Authorization (and api-key, as Azure names it) header received. */
  credentials(): string[];
  close(): Promise<void>;
}

export async function startCaptureServer(host = '127.0.0.1'): Promise<CaptureServer> {
  const requests: CapturedRequest[] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
    req.resume();
    req.on('end', () => {
      const body = JSON.stringify({
        error: { message: 'Not here.', type: 'invalid_request_error', code: null, param: null },
      });
      res.writeHead(404, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    baseURL: `http://${shown}:${port}/v1`,
    requests,
    credentials: () =>
      requests.flatMap((r) =>
        [r.headers.authorization, r.headers['api-key']].filter((v): v is string => typeof v === 'string'),
      ),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
