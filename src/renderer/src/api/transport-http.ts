import type { ApiInput, ApiMethod, ApiOutput } from '../../../shared/api';
import type { EventName, Events } from '../../../shared/events';
import { ApiError, errorFromBody } from './errors';
import { mediaUrlFor } from './media';
import type { Transport } from './transport';

export interface HttpTransportOptions {
  /** Origin + prefix; '' means same origin as the page. Tests pass http://127.0.0.1:port. */
  baseUrl?: string;
  /** Sent as x-komorebi-token; the HttpOnly cookie set by the server covers images and SSE. */
  token: string | null;
  fetch?: typeof fetch;
  /** Browsers have EventSource; absent (Node tests), events are simply not delivered. */
  EventSource?: typeof EventSource;
}

type Listener = (payload: never) => void;

/** Browser mode: `POST /api/<method>` with a JSON body, events from one shared EventSource. */
export function createHttpTransport(options: HttpTransportOptions): Transport {
  const baseUrl = options.baseUrl ?? '';
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const listeners = new Map<EventName, Set<Listener>>();
  const routed = new Set<EventName>();
  const reconnectListeners = new Set<() => void>();
  let source: EventSource | null = null;
  let broken = false;

  function ensureEventSource(name: EventName): void {
    const EventSourceImpl =
      options.EventSource ?? (globalThis as { EventSource?: typeof EventSource }).EventSource;
    if (!EventSourceImpl) return;
    if (!source) {
      source = new EventSourceImpl(`${baseUrl}/api/events`, { withCredentials: false });
      // EventSource retries by itself; tell the views when it is back so they catch up.
      source.addEventListener('error', () => {
        broken = true;
      });
      source.addEventListener('open', () => {
        if (!broken) return;
        broken = false;
        for (const listener of reconnectListeners) listener();
      });
    }
    if (!routed.has(name)) {
      // First subscription to this name: route the named SSE event to everyone subscribed.
      routed.add(name);
      source.addEventListener(name, (event) => {
        const data = (event as unknown as { data: string }).data;
        let payload: unknown;
        try {
          payload = JSON.parse(data);
        } catch {
          console.warn(`Ignored a malformed "${name}" event from the Komorebi server.`);
          return;
        }
        for (const listener of listeners.get(name) ?? []) (listener as (p: unknown) => void)(payload);
      });
    }
  }

  return {
    kind: 'browser',
    async call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (options.token) headers['x-komorebi-token'] = options.token;
      let response: Response;
      try {
        response = await doFetch(`${baseUrl}/api/${method}`, {
          method: 'POST',
          credentials: 'same-origin',
          headers,
          body: JSON.stringify(input ?? {}),
        });
      } catch {
        throw new ApiError(method, {
          name: 'Error',
          message: `Komorebi's server did not answer ${method}. Check that \`npm run serve\` is still running.`,
        });
      }
      const text = await response.text();
      let body: unknown = null;
      if (text.length > 0) {
        try {
          body = JSON.parse(text);
        } catch {
          body = null;
        }
      }
      if (!response.ok) throw errorFromBody(body, response.status, method);
      return body as ApiOutput<M>;
    },
    onEvent<E extends EventName>(name: E, listener: (payload: Events[E]) => void): () => void {
      let set = listeners.get(name);
      if (!set) {
        set = new Set();
        listeners.set(name, set);
      }
      set.add(listener as Listener);
      ensureEventSource(name);
      return () => {
        listeners.get(name)?.delete(listener as Listener);
      };
    },
    onReconnect(listener) {
      reconnectListeners.add(listener);
      return () => {
        reconnectListeners.delete(listener);
      };
    },
    mediaUrl(mediaPath) {
      return mediaUrlFor(`${baseUrl}/media/`, mediaPath);
    },
  };
}
