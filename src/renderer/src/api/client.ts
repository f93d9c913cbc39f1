/**
 * The window's api client, chosen once at start: the preload bridge when Komorebi runs in
 * Electron, HTTP + SSE when the same window is served by `npm run serve` (browser mode).
 */
import type { Api } from '../../../shared/api';
import type { EventName, Events } from '../../../shared/events';
import { createApi } from './create-api';
import { TOKEN_STORAGE_KEY, takeTokenFromUrl } from './token';
import type { Transport } from './transport';
import { createHttpTransport } from './transport-http';
import { createIpcTransport, findBridge } from './transport-ipc';

function readBrowserToken(): string | null {
  const { token, cleanUrl } = takeTokenFromUrl(window.location.href);
  if (token) {
    try {
      sessionStorage.setItem(TOKEN_STORAGE_KEY, token);
    } catch {
      // Storage can be disabled; the cookie the server set still authenticates this tab.
    }
    window.history.replaceState(window.history.state, '', cleanUrl);
    return token;
  }
  try {
    return sessionStorage.getItem(TOKEN_STORAGE_KEY);
  } catch {
    return null;
  }
}

function chooseTransport(): Transport {
  const bridge = findBridge();
  if (bridge) return createIpcTransport(bridge);
  return createHttpTransport({ token: readBrowserToken() });
}

export const transport: Transport = chooseTransport();
export const api: Api = createApi(transport);

export function onEvent<E extends EventName>(name: E, listener: (payload: Events[E]) => void): () => void {
  return transport.onEvent(name, listener);
}

/** Called when pushed events resume after a break (some were missed: reload what is shown). */
export function onReconnect(listener: () => void): () => void {
  return transport.onReconnect(listener);
}

/** URL for a media path from the core (Photo.thumb / preview / original). */
export function mediaUrl(mediaPath: string): string {
  return transport.mediaUrl(mediaPath);
}
