import { type Session, shell, type WebContents } from 'electron';
import { contentSecurityPolicy } from './csp';
import { type AppOrigin, isAllowedRequest, isAppResource, judgeNavigation } from './url-trust';

/**
 * Session-wide rules: no permission is ever granted (camera, notifications, USB, ...), nothing
 * outside the app's own files, `media://local` and inline data is loaded, and the app's pages
 * get the CSP as a header.
 */
export function hardenSession(session: Session, app: AppOrigin): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedRequest(details.url, app) });
  });
  const csp = contentSecurityPolicy({ dev: app.kind === 'dev' });
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isAppResource(details.url, app)) {
      callback({});
      return;
    }
    const headers = { ...details.responseHeaders };
    for (const name of Object.keys(headers)) {
      if (name.toLowerCase() === 'content-security-policy') delete headers[name];
    }
    headers['Content-Security-Policy'] = [csp];
    headers['X-Content-Type-Options'] = ['nosniff'];
    callback({ responseHeaders: headers });
  });
}

/**
 * Per-window rules: it never leaves the app's page. Web links open in the user's browser (after
 * the scheme check in url-trust); new windows, other pages and <webview> are refused.
 */
export function hardenWebContents(contents: WebContents, app: AppOrigin): void {
  const guard = (event: { url: string; preventDefault(): void }) => {
    const verdict = judgeNavigation(event.url, app);
    if (verdict.action === 'allow') return;
    event.preventDefault();
    if (verdict.action === 'open-externally') void shell.openExternal(verdict.url);
  };
  contents.on('will-navigate', (event) => guard(event));
  contents.on('will-redirect', (event) => guard(event));
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame && judgeNavigation(event.url, app).action !== 'allow') event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const verdict = judgeNavigation(url, app);
    if (verdict.action === 'open-externally') void shell.openExternal(verdict.url);
    return { action: 'deny' };
  });
}
