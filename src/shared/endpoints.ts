/**
 * Where Komorebi may send a secret (the OpenAI key, a Milvus token): pure rules shared by the
 * Api schemas (a refused address is a 400 with the reason) and the core, which checks again
 * right before it sends anything (decision 0032). No zod, no Node: the renderer imports this.
 */

/** 127.0.0.0/8, ::1 and localhost: only programs of this computer listen there. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const name = bare.toLowerCase();
  if (name === 'localhost' || name === '::1' || name === '0:0:0:0:0:0:0:1') return true;
  return /^127(\.\d{1,3}){3}$/.test(name) && name.split('.').every((part) => Number(part) <= 255);
}

/** OpenAI's own endpoint: the key goes here unless the user confirmed another one. */
export const OPENAI_ENDPOINT = 'https://api.openai.com/v1';

/**
 * Why an address must not carry a secret, or null when it may: only http(s), no user name or
 * password in it (those would be shown back and logged), and plain http only to this computer
 * (elsewhere the secret crosses the network in clear text).
 */
export function secretEndpointProblem(address: string, what = 'the API key'): string | null {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return `"${address}" is not a web address. Type one such as ${OPENAI_ENDPOINT}.`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return `${url.protocol} addresses are not supported: type an https:// address.`;
  }
  if (url.username || url.password) {
    return `Put no user name or password in the address (${url.host}): Komorebi sends ${what} itself.`;
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return `Komorebi sends ${what} over plain http only to this computer (localhost, 127.0.0.1, ::1); ${url.host} would receive it in clear text over the network. Use its https:// address.`;
  }
  return null;
}

/**
 * The address as requests use it, so that two spellings of one endpoint compare equal: the
 * URL parser's form (scheme and host in lower case, default port dropped) without trailing
 * slashes. An address that is not a URL is only trimmed.
 */
export function normalEndpoint(address: string): string {
  const trimmed = address.trim();
  try {
    return new URL(trimmed).href.replace(/\/+$/, '');
  } catch {
    return trimmed.replace(/\/+$/, '');
  }
}
