import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';

/** Defaults sized for one user's browser tabs: each tab holds about six connections. */
export const defaultConnectionLimits = { maxConnections: 256, maxUnauthenticated: 32 };

export type ConnectionLimits = typeof defaultConnectionLimits;

/**
 * Caps what a client can hold open. Every connection counts against `maxConnections` (beyond it
 * Node drops new ones at once), and one that has not yet shown the token counts against
 * `maxUnauthenticated`: when that many are open, the oldest of them is closed to admit the new
 * one, so idle or slow-loris sockets from someone without the token can neither fill the server
 * nor lock out the user, whose connections stop counting once a request on them is admitted.
 */
export class ConnectionGate {
  /** By remote address and port, which a TLS socket and its TCP socket share; oldest first. */
  private readonly unauthenticated = new Map<string, Socket>();

  constructor(
    server: Server,
    private readonly limits: ConnectionLimits = defaultConnectionLimits,
  ) {
    server.maxConnections = limits.maxConnections;
    server.on('connection', (socket: Socket) => this.admit(socket));
  }

  get unauthenticatedCount(): number {
    return this.unauthenticated.size;
  }

  /** A request on this connection showed the token: it is the user's, no longer capped. */
  authenticated(req: IncomingMessage): void {
    const key = keyOf(req.socket);
    if (key) this.unauthenticated.delete(key);
  }

  private admit(socket: Socket): void {
    const key = keyOf(socket);
    if (!key) {
      socket.destroy();
      return;
    }
    while (this.unauthenticated.size >= this.limits.maxUnauthenticated) {
      const [oldestKey, oldest] = this.unauthenticated.entries().next().value as [string, Socket];
      this.unauthenticated.delete(oldestKey);
      oldest.destroy();
    }
    this.unauthenticated.set(key, socket);
    socket.once('close', () => {
      if (this.unauthenticated.get(key) === socket) this.unauthenticated.delete(key);
    });
  }
}

function keyOf(socket: Socket): string | null {
  return socket.remoteAddress && socket.remotePort ? `${socket.remoteAddress}|${socket.remotePort}` : null;
}
