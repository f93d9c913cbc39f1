/**
 * Browser mode: the server prints a URL with `?token=`; the page reads it once, keeps it for
 * the tab (sessionStorage survives reloads, not new tabs) and removes it from the visible URL
 * so it does not end up in history, screenshots or bookmarks.
 */
export const TOKEN_STORAGE_KEY = 'komorebi.token';

export interface TokenFromUrl {
  token: string | null;
  /** The same URL without the token parameter (path + remaining query + hash). */
  cleanUrl: string;
}

export function takeTokenFromUrl(href: string): TokenFromUrl {
  const url = new URL(href);
  const token = url.searchParams.get('token');
  url.searchParams.delete('token');
  const query = url.searchParams.toString();
  return {
    token: token && token.length > 0 ? token : null,
    cleanUrl: url.pathname + (query ? `?${query}` : '') + url.hash,
  };
}
