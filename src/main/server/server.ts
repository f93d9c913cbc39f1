import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { networkInterfaces, hostname as osHostname } from 'node:os';
import type { ApiHandlers } from '../../shared/api';
import { THUMBNAIL_BATCH_PATH } from '../../shared/thumbnail-batch';
import type { MediaRoots } from '../core/ports';
import { contentSecurityPolicy } from '../csp';
import { handleApiCall } from './api-route';
import { ConnectionGate, type ConnectionLimits, defaultConnectionLimits } from './connection-gate';
import type { EventStream } from './event-stream';
import { judgeExposure } from './exposure';
import { handleThumbnailBatch } from './media-batch-route';
import { handleMedia } from './media-route';
import {
  allowedHostsFor,
  hostAllowed,
  isAuthorized,
  isWildcard,
  originAllowed,
  type TokenCookie,
  tokenCookieFor,
  tokensMatch,
} from './request-guard';
import { sendJson, sendText } from './respond';
import { handleStatic } from './static-route';

/** What browser mode needs from the core (a subset of `Core` from core/app). */
export interface ServedCore {
  handlers: ApiHandlers;
  mediaRoots(): MediaRoots;
}

export interface ServerOptions {
  core: ServedCore;
  /** The Notifier the core was created with; `GET /api/events` streams what it emits. */
  events: EventStream;
  /** Interface to bind. 127.0.0.1 unless the user asks for more. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  token: string;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** Extra Host names to accept (e.g. a home server's name), without the port. */
  allowedHosts?: string[];
  /** Serve HTTPS with this certificate and key (PEM). Required off loopback, see exposure.ts. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** The user accepted plain HTTP on a non-loopback interface (`--insecure-http`). */
  insecureHttp?: boolean;
  /** Caps on open connections (see connection-gate.ts). */
  limits?: Partial<ConnectionLimits>;
}

export interface RunningServer {
  /** The address to open, token included. */
  url: string;
  port: number;
  /** What the user must know before opening it (plain HTTP off loopback), or null. */
  warning: string | null;
  /** Connections open that have not shown the token yet (tests). */
  unauthenticatedConnections(): number;
  close(): Promise<void>;
}

interface Served extends ServerOptions {
  allowed: Set<string>;
  scheme: 'http' | 'https';
  cookie: TokenCookie;
  gate: ConnectionGate;
}

const securityHeaders = {
  'Content-Security-Policy': contentSecurityPolicy(),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  // With COOP, this isolates the page (crossOriginIsolated): nothing from another origin can be
  // embedded in it, and its clocks are not blurred to 100 µs, so frame times read true.
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
};

/**
 * Browser mode: the core's Api over HTTP, its events over SSE, media from allow-listed roots
 * and the built renderer, all behind a token and Host/Origin checks (docs/decisions/0007).
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  if (options.token.length < 16)
    throw new Error('The browser-mode token must be at least 16 characters long.');
  const exposure = judgeExposure(host, { tls: !!options.tls, insecureHttp: options.insecureHttp });
  if (exposure.refused) throw new Error(exposure.refused);
  const scheme = options.tls ? 'https' : 'http';
  let served: Served | null = null;
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    if (!served) {
      res.destroy();
      return;
    }
    route(req, res, served).catch((error: unknown) => {
      console.error('[komorebi] request failed:', error);
      if (!res.headersSent)
        sendJson(res, 500, { error: { name: 'Error', message: 'The server failed to answer.' } });
      else res.destroy();
    });
  };
  const server = options.tls
    ? createTlsServer({ cert: options.tls.cert, key: options.tls.key, handshakeTimeout: 10_000 }, handler)
    : createServer(handler);
  const gate = new ConnectionGate(server, { ...defaultConnectionLimits, ...options.limits });
  server.headersTimeout = 30_000;
  server.requestTimeout = 0; // SSE streams stay open; headersTimeout still bounds slow clients.
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`Port ${options.port} on ${host} is already in use. Pass --port with another number.`)
          : error,
      );
    });
    server.listen(options.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const allowed = allowedHostsFor(host, port, [
    ...(options.allowedHosts ?? []),
    ...(isWildcard(host) ? localNames() : []),
  ]);
  served = {
    ...options,
    allowed,
    scheme,
    cookie: tokenCookieFor(options.token, port, scheme === 'https'),
    gate,
  };
  const shownHost = isWildcard(host) ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return {
    url: `${scheme}://${shownHost}:${port}/?token=${encodeURIComponent(options.token)}`,
    port,
    warning: exposure.warning ?? null,
    unauthenticatedConnections: () => gate.unauthenticatedCount,
    close: () =>
      new Promise<void>((resolve) => {
        options.events.closeAll();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function route(req: IncomingMessage, res: ServerResponse, options: Served): Promise<void> {
  for (const [name, value] of Object.entries(securityHeaders)) res.setHeader(name, value);
  if (!hostAllowed(req, options.allowed)) {
    sendText(res, 403, 'Forbidden: this server only answers to its own address (unexpected Host header).');
    return;
  }
  if (!originAllowed(req, options.scheme)) {
    sendText(res, 403, 'Forbidden: requests from other web pages are refused.');
    return;
  }
  const raw = req.url ?? '/';
  const queryStart = raw.indexOf('?');
  const path = queryStart < 0 ? raw : raw.slice(0, queryStart);
  const query = new URLSearchParams(queryStart < 0 ? '' : raw.slice(queryStart + 1));
  if (!path.startsWith('/')) {
    sendText(res, 400, 'Bad request');
    return;
  }
  if (!isAuthorized(req, query, options.token, options.cookie)) {
    sendText(
      res,
      401,
      'Komorebi needs its access token. Open the full address printed by `npm run serve` (it ends with ?token=...).',
    );
    return;
  }
  options.gate.authenticated(req);
  if (path === '/api/events') {
    if (req.method !== 'GET') {
      sendText(res, 405, 'Method not allowed');
      return;
    }
    options.events.attach(res);
    return;
  }
  if (path.startsWith('/api/')) {
    await handleApiCall(req, res, path.slice('/api/'.length), options.core.handlers);
    return;
  }
  if (path === `/media/${THUMBNAIL_BATCH_PATH}`) {
    await handleThumbnailBatch(req, res, query, options.core.mediaRoots());
    return;
  }
  if (path.startsWith('/media/')) {
    await handleMedia(req, res, path.slice('/media/'.length), options.core.mediaRoots());
    return;
  }
  await handleStatic(req, res, path, options.rendererDir, () => {
    // A page opened with a valid ?token= gets the cookie, so its images, API calls and event
    // stream are admitted without the token in every URL. HttpOnly: scripts cannot read it.
    if (tokensMatch(query.get('token'), options.token)) res.setHeader('Set-Cookie', options.cookie.header);
  });
}

/** When bound to every interface, the machine's own names and addresses are valid Hosts too. */
function localNames(): string[] {
  const names = [osHostname(), `${osHostname()}.local`];
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) names.push(info.family === 'IPv6' ? `[${info.address}]` : info.address);
  }
  return names;
}
