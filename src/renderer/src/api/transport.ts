import type { ApiInput, ApiMethod, ApiOutput } from '../../../shared/api';
import type { EventName, Events } from '../../../shared/events';

/** How the window reaches the core: Electron IPC or HTTP + SSE. Same contract either way. */
export interface Transport {
  readonly kind: 'electron' | 'browser';
  call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>>;
  /** Subscribes to a pushed event; returns the function that unsubscribes. */
  onEvent<E extends EventName>(name: E, listener: (payload: Events[E]) => void): () => void;
  /**
   * Called when the event stream comes back after a break (browser mode: the server restarted
   * or the network blinked). Events were missed meanwhile, so views reload what they show.
   */
  onReconnect(listener: () => void): () => void;
  /** The URL the window loads a media path from (thumbnail, preview, original). */
  mediaUrl(mediaPath: string): string;
}
