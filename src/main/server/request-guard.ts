import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * The cookie a page load with a valid `?token=` sets, so images and the event stream need no
 * token in URLs. Browsers send a host's cookies to every port of that host, so the name carries
 * our port (two Komorebis, or Komorebi and another local server, never overwrite each other's),
 * and over TLS it is a `__Host-` cookie, which browsers accept only with `Secure`, `Path=/` and
 * no Domain: it then never travels over plain HTTP, to any port.
 */
export interface TokenCookie {
  name: string;
  /** What the cookie holds: derived from the token for this port, never the token itself. */
  value: string;
  /** The Set-Cookie header value. */
  header: string;
}

export function tokenCookieFor(token: string, port: number, secure: boolean): TokenCookie {
  const name = secure ? `__Host-komorebi_token_${port}` : `komorebi_token_${port}`;
  // A cookie that reaches another server on this machine reveals neither the token (which the
  // user may have chosen with KOMOREBI_TOKEN and use elsewhere) nor works on another port.
  const value = createHmac('sha256', token).update(`komorebi cookie for port ${port}`).digest('base64url');
  const header = `${name}=${value}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
  return { name, value, header };
}

/**
 * Compares two tokens in time that does not depend on where they differ. Hashing first gives
 * equal-length buffers, so not even the length leaks.
 */
export function tokensMatch(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== 'string' || given.length === 0 || given.length > 1024) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Every place a request may carry the token itself (the cookie carries a derived value). */
export function presentedTokens(req: IncomingMessage, query: URLSearchParams): string[] {
  const tokens: string[] = [];
  const fromQuery = query.get('token');
  if (fromQuery) tokens.push(fromQuery);
  const header = req.headers['x-komorebi-token'];
  if (typeof header === 'string') tokens.push(header);
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && /^bearer\s+/i.test(auth))
    tokens.push(auth.replace(/^bearer\s+/i, '').trim());
  return tokens;
}

export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

export function isAuthorized(
  req: IncomingMessage,
  query: URLSearchParams,
  token: string,
  cookie: TokenCookie,
): boolean {
  // Check every candidate without stopping early: the time taken says nothing about which matched.
  let ok = false;
  for (const candidate of presentedTokens(req, query)) ok = tokensMatch(candidate, token) || ok;
  return tokensMatch(readCookie(req.headers.cookie, cookie.name), cookie.value) || ok;
}

/**
 * The Host names this server answers to. A page on evil.example whose DNS is re-pointed at
 * 127.0.0.1 (DNS rebinding) still sends `Host: evil.example`, so it is refused.
 */
export function allowedHostsFor(host: string, port: number, extra: string[] = []): Set<string> {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]']);
  const bound = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  if (!isWildcard(host)) names.add(bound.toLowerCase());
  for (const name of extra) names.add(name.toLowerCase());
  return new Set([...names].map((name) => `${name}:${port}`));
}

export function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

export function hostAllowed(req: IncomingMessage, allowed: Set<string>): boolean {
  const host = req.headers.host;
  return typeof host === 'string' && allowed.has(host.toLowerCase());
}

/**
 * A request from another web page carries its Origin: only our own origin may call us. A
 * missing Origin (address bar, same-origin GET, curl) is fine; the token still applies.
 * `Sec-Fetch-Site: cross-site` is refused too, for browsers that omit Origin on some GETs.
 */
export function originAllowed(req: IncomingMessage, scheme: 'http' | 'https' = 'http'): boolean {
  const site = req.headers['sec-fetch-site'];
  if ((site === 'cross-site' || site === 'same-site') && !isTopLevelVisit(req)) return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  return (
    typeof req.headers.host === 'string' &&
    origin.toLowerCase() === `${scheme}://${req.headers.host.toLowerCase()}`
  );
}

/**
 * The user following a link to Komorebi (a bookmark page, a home-server dashboard): a top-level
 * GET navigation changes nothing and shows the result only to the user (framing is refused by
 * X-Frame-Options), so it may come from another site. It still needs the token.
 */
function isTopLevelVisit(req: IncomingMessage): boolean {
  return (
    (req.method === 'GET' || req.method === 'HEAD') &&
    req.headers['sec-fetch-mode'] === 'navigate' &&
    req.headers['sec-fetch-dest'] === 'document'
  );
}
