import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Every decision about which URL the Electron shell trusts, as pure functions over parsed URLs
 * (never substrings), so adversarial cases can be tested without Electron.
 */

/** Where the window's own page comes from: the built files, or the Vite dev server in development. */
export type AppOrigin = { kind: 'file'; rendererDir: string } | { kind: 'dev'; url: string };

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** A local file URL (no host: a `file://server/share` URL is a network path) as a path, or null. */
function localFilePath(url: URL): string | null {
  if (url.protocol !== 'file:' || (url.host !== '' && url.host !== 'localhost')) return null;
  try {
    return resolve(fileURLToPath(url));
  } catch {
    return null; // e.g. an encoded slash, which fileURLToPath refuses
  }
}

function isInside(dir: string, file: string): boolean {
  const rel = relative(resolve(dir), file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * The app's own page: exactly out/renderer/index.html (any query or hash), or a page of the dev
 * server's origin. This is what may call the Api over IPC and what the window may show.
 */
export function isAppPage(url: string, app: AppOrigin): boolean {
  const parsed = parse(url);
  if (!parsed) return false;
  if (app.kind === 'dev') return sameOrigin(parsed, app.url);
  const path = localFilePath(parsed);
  return path !== null && path === resolve(app.rendererDir, 'index.html');
}

/** A file the app's page may load (its scripts, styles, fonts): anything inside the renderer folder. */
export function isAppResource(url: string, app: AppOrigin): boolean {
  const parsed = parse(url);
  if (!parsed) return false;
  if (app.kind === 'dev') return sameOrigin(parsed, app.url);
  const path = localFilePath(parsed);
  return path !== null && isInside(app.rendererDir, path);
}

function sameOrigin(url: URL, expected: string): boolean {
  const base = parse(expected);
  if (!base || url.username || url.password) return false;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  return url.origin === base.origin;
}

/**
 * `media://local/<mediaPath>` -> the still-encoded media path (resolveMediaPath decodes it once),
 * or null for any other host (`media://local.evil`), credentials (`media://user@local`) or port.
 */
export function mediaPathFromUrl(url: string): string | null {
  const parsed = parse(url);
  if (!parsed || parsed.protocol !== 'media:') return null;
  if (
    parsed.hostname.toLowerCase() !== 'local' ||
    parsed.port !== '' ||
    parsed.username !== '' ||
    parsed.password !== ''
  )
    return null;
  const path = parsed.pathname.replace(/^\//, '');
  return path.length > 0 ? path : null;
}

/**
 * A link the user may open in their browser: http or https with a host and no credentials.
 * Returns the normalised URL to hand to the OS, or null (javascript:, data:, file:, smb:, ...).
 */
export function externalLink(url: string): string | null {
  const parsed = parse(url);
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) return null;
  if (parsed.hostname === '' || parsed.username !== '' || parsed.password !== '') return null;
  return parsed.href;
}

export type NavigationVerdict =
  | { action: 'allow' }
  | { action: 'open-externally'; url: string }
  | { action: 'deny' };

/** What to do when the window tries to go to `url` (a link, a redirect, window.open). */
export function judgeNavigation(url: string, app: AppOrigin): NavigationVerdict {
  if (isAppPage(url, app)) return { action: 'allow' };
  const external = externalLink(url);
  // In development the dev server is http://localhost: an app page, never "external".
  if (external && !(app.kind === 'dev' && isAppResource(url, app)))
    return { action: 'open-externally', url: external };
  return { action: 'deny' };
}

/** Requests the window's session may make at all: its own files/dev server, media:, and inline data. */
export function isAllowedRequest(url: string, app: AppOrigin): boolean {
  const parsed = parse(url);
  if (!parsed) return false;
  switch (parsed.protocol) {
    case 'file:':
      return isAppResource(url, app);
    case 'media:':
      return mediaPathFromUrl(url) !== null;
    case 'data:':
    case 'blob:':
    case 'devtools:':
    case 'chrome-extension:':
      return true;
    case 'http:':
    case 'https:':
      return app.kind === 'dev' && isAppResource(url, app);
    case 'ws:':
    case 'wss:': {
      // Vite's hot-reload socket, on the dev server's host and port.
      if (app.kind !== 'dev') return false;
      const dev = parse(app.url);
      return dev !== null && parsed.host === dev.host && !parsed.username && !parsed.password;
    }
    default:
      return false;
  }
}
