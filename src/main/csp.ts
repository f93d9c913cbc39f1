/**
 * The window's Content-Security-Policy, one definition for the Electron shell (response header)
 * and browser mode (HTTP header); the renderer's index.html carries the same policy in a meta tag
 * so a page opened any other way is still covered.
 *
 * Images come from the app itself (`/media/` in browser mode), the `media:` protocol (Electron),
 * and `data:`/`blob:` for streamed partial images. No remote origins: the window never talks to
 * the internet, the core does.
 */
export function contentSecurityPolicy(options: { dev?: boolean } = {}): string {
  const directives = [
    "default-src 'self'",
    options.dev ? "script-src 'self' 'unsafe-inline'" : "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' media: data: blob:",
    "media-src 'self' media: blob:",
    "font-src 'self' data:",
    options.dev ? "connect-src 'self' ws: http://localhost:* http://127.0.0.1:*" : "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ];
  return directives.join('; ');
}
