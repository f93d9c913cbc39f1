import { isLoopbackHost } from '../../shared/endpoints';

/**
 * Who can reach browser mode, decided before it listens. On loopback only programs of this
 * machine can; on any other interface the network can, and over plain HTTP everything that
 * crosses it (the token in the printed address, the cookie, photos, every Api call) is
 * readable and replayable by anyone who can see the traffic. So another interface needs TLS,
 * or the user's explicit `--insecure-http`, after which we say what that exposes.
 * (Which hosts are loopback is shared with the rule for where secrets may go.)
 */
export { isLoopbackHost };

export interface Exposure {
  /** Set when the server must not start: what is wrong and what to do. */
  refused?: string;
  /** Set when it starts exposed: printed for the user before the address. */
  warning?: string;
}

export function judgeExposure(host: string, options: { tls: boolean; insecureHttp?: boolean }): Exposure {
  if (isLoopbackHost(host) || options.tls) return {};
  const where = host === '0.0.0.0' || host === '::' || host === '[::]' ? 'every network interface' : host;
  if (!options.insecureHttp) {
    return {
      refused: `Komorebi will not serve plain HTTP on ${where}: anyone on that network could read the access token, your photos and your library, and act as you. Pass --tls-cert and --tls-key (a certificate for this computer's name) to serve HTTPS, or --insecure-http if you accept that risk on a network that is yours alone.`,
    };
  }
  return {
    warning: `Warning: serving plain HTTP on ${where} (--insecure-http). Anyone who can see this network's traffic can read the access token in the address below, the photos of every watched folder and your comics, and with the token add folders, delete photos to the Trash and spend your OpenAI key. Use --tls-cert and --tls-key instead where you can.`,
  };
}
