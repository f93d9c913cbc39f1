/**
 * The window's Content-Security-Policy: the same directives as the meta tag in
 * src/renderer/index.html (keep them in step), sent as a header by the Electron shell and by
 * browser mode, plus `frame-ancestors`, which only a header can carry.
 *
 * Images come from the app itself (`/media/` in browser mode), the `media:` protocol (Electron)
 * and `data:`/`blob:` for streamed partial images. The gallery fetches its thumbnails in batches
 * (decision 0060), so `connect-src` names `media:` too: in Electron the batch is a `media:` URL;
 * in browser mode it is `/media/batch` on the app's own origin. No remote origins: the window never talks
 * to the internet, the core does. Development (Vite dev server) needs inline scripts and styles
 * for hot reload and a websocket; production never gets them.
 */
export function contentSecurityPolicy(options: { dev?: boolean } = {}): string {
  const directives = [
    "default-src 'self'",
    "img-src 'self' media: blob: data:",
    options.dev ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
    options.dev ? "connect-src 'self' media: ws: wss:" : "connect-src 'self' media:",
    options.dev ? "script-src 'self' 'unsafe-inline'" : "script-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ];
  return directives.join('; ');
}
