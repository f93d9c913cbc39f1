/**
 * How Komorebi reaches a Milvus: a local Milvus (http://localhost:19530), the Milvus Lite
 * server the app launches, a remote server, or Zilliz Cloud (https URI + API key token).
 */
export interface MilvusConnection {
  /** `http://host:19530`, `https://...zillizcloud.com`, `host:port` or `unix:/abs/path`. */
  uri: string;
  /** API key, or `user:password` for a server with authentication on. */
  token?: string;
  /** Force TLS (implied by an https:// URI). */
  tls?: boolean;
  database?: string;
  /** Deadline for each request, so a wrong URI fails fast instead of hanging. Default 10 s. */
  timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

/** A URI for messages and describe(): never includes the token. */
export function displayUri(connection: MilvusConnection): string {
  return connection.uri.replace(/\/\/[^@/]*@/, '//');
}

/** Why a URI cannot be a Milvus address, or null when it can. Checked before connecting. */
export function uriProblem(uri: string): string | null {
  const value = uri.trim();
  if (value === '') return 'no URI was given';
  if (value.startsWith('unix:'))
    return value.length > 'unix:'.length ? null : 'the unix socket path is missing';
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1]?.toLowerCase();
  if (scheme && scheme !== 'http' && scheme !== 'https')
    return `"${scheme}://" is not a Milvus scheme (use http or https)`;
  try {
    const url = new URL(scheme ? value : `http://${value}`);
    if (!url.hostname) return 'the host name is missing';
    if (/\s/.test(value)) return 'it contains spaces';
    return null;
  } catch {
    return 'it is not a valid address';
  }
}
