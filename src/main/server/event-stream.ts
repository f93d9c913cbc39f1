import type { ServerResponse } from 'node:http';
import type { EventName, Events, Notifier } from '../../shared/events';

/**
 * The core's Notifier in browser mode: fans each event out to every open `GET /api/events`
 * stream (Server-Sent Events). A client that went away is dropped; nothing is buffered for it.
 *
 * Backpressure: a client that reads slower than events come (a stalled tab, a hostile script
 * that never reads) would make the server hold every frame in memory. Once more than
 * `maxBufferedBytes` wait unsent for one client, its stream is closed instead; EventSource
 * reconnects by itself and the window reloads what it shows (onReconnect), so nothing is
 * lost that the Api cannot give back.
 */
export class EventStream implements Notifier {
  private readonly clients = new Set<ServerResponse>();
  private heartbeat: NodeJS.Timeout | null = null;
  /** Streams closed because their client did not keep up (tests, diagnostics). */
  droppedSlowClients = 0;

  constructor(
    private readonly heartbeatMs = 15_000,
    private readonly maxBufferedBytes = 1024 * 1024,
  ) {}

  emit<E extends EventName>(event: E, payload: Events[E]): void {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const res of this.clients) this.write(res, frame);
  }

  /** Takes over a response as an event stream until the client disconnects. */
  attach(res: ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 2000\n: connected\n\n');
    this.clients.add(res);
    res.on('close', () => this.detach(res));
    if (!this.heartbeat) {
      // A comment line every few seconds keeps proxies and idle timers from closing the stream.
      this.heartbeat = setInterval(() => {
        for (const client of this.clients) this.write(client, ': ping\n\n');
      }, this.heartbeatMs);
      this.heartbeat.unref();
    }
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Ends every stream (server shutdown). */
  closeAll(): void {
    for (const res of this.clients) res.end();
    this.clients.clear();
    this.stopHeartbeat();
  }

  private detach(res: ServerResponse): void {
    this.clients.delete(res);
    if (this.clients.size === 0) this.stopHeartbeat();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  private write(res: ServerResponse, frame: string): void {
    if (res.writableEnded || res.destroyed) {
      this.detach(res);
      return;
    }
    if (res.writableLength + frame.length > this.maxBufferedBytes) {
      this.droppedSlowClients += 1;
      this.detach(res);
      res.destroy();
      return;
    }
    res.write(frame);
  }
}
