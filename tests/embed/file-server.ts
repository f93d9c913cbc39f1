// A real HTTP server on 127.0.0.1 serving one file the way a download host does (Content-Length,
// Range requests answered with 206 and Content-Range, 416 past the end), which a test can make
// misbehave: drop the connection halfway, or stall after a few bytes until the client gives up.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  url: string;
  range: string | undefined;
}

export interface FileServer {
  /** The file's address; any path works, and a path containing /no-range/ ignores Range. */
  url(path?: string): string;
  requests: SeenRequest[];
  /** The next `n` responses send half of what was asked, then cut the connection. */
  dropNext(n?: number): void;
  /** The next response sends `bytes` bytes, then waits (for a client that cancels). */
  stallNextAfter(bytes: number): void;
  close(): Promise<void>;
}

export async function serveFile(body: Buffer): Promise<FileServer> {
  const requests: SeenRequest[] = [];
  let drops = 0;
  let stallAfter: number | null = null;
  const server = http.createServer((req, res) => {
    requests.push({ url: req.url ?? '', range: req.headers.range });
    const rangeOk = !req.url?.includes('/no-range/');
    const m = rangeOk ? /^bytes=(\d+)-$/.exec(req.headers.range ?? '') : null;
    const start = m ? Number(m[1]) : 0;
    if (start >= body.length) {
      res.writeHead(416, { 'Content-Range': `bytes */${body.length}` }).end();
      return;
    }
    const rest = body.subarray(start);
    const headers = { 'Content-Length': String(rest.length), 'Content-Type': 'application/octet-stream' };
    if (m)
      res.writeHead(206, { ...headers, 'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}` });
    else res.writeHead(200, headers);
    if (stallAfter !== null) {
      res.write(rest.subarray(0, stallAfter));
      stallAfter = null;
      return; // never ends; closeAllConnections() cleans up
    }
    if (drops > 0) {
      drops--;
      res.write(rest.subarray(0, Math.floor(rest.length / 2)), () =>
        setTimeout(() => res.socket?.destroy(), 20),
      );
      return;
    }
    res.end(rest);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: (path = '/model.safetensors') => `${base}${path}`,
    requests,
    dropNext: (n = 1) => {
      drops = n;
    },
    stallNextAfter: (bytes) => {
      stallAfter = bytes;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
