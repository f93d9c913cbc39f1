import type { Api, ApiInput, ApiMethod, ApiOutput } from '../../../shared/api';
import type { EventName, Events } from '../../../shared/events';
import { cleanIpcErrorMessage } from './errors';
import { mediaUrlFor } from './media';
import type { Transport } from './transport';

/** What the preload exposes as `window.komorebi`: named functions only, never ipcRenderer. */
export type KomorebiBridge = Api & {
  onEvent<E extends EventName>(name: E, listener: (payload: Events[E]) => void): () => void;
};

export function findBridge(): KomorebiBridge | null {
  const candidate = (globalThis as { komorebi?: unknown }).komorebi;
  return typeof candidate === 'object' && candidate !== null ? (candidate as KomorebiBridge) : null;
}

export function createIpcTransport(bridge: KomorebiBridge): Transport {
  return {
    kind: 'electron',
    async call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
      const fn = bridge[method] as unknown as ((input: ApiInput<M>) => Promise<ApiOutput<M>>) | undefined;
      if (typeof fn !== 'function') {
        throw new Error(
          `This version of Komorebi's window asks for "${method}", which the app does not offer. Restart Komorebi.`,
        );
      }
      try {
        return await fn(input);
      } catch (error) {
        throw new Error(cleanIpcErrorMessage(error instanceof Error ? error.message : String(error)));
      }
    },
    onEvent(name, listener) {
      return bridge.onEvent(name, listener);
    },
    onReconnect() {
      // IPC does not drop events while the window lives.
      return () => {};
    },
    mediaUrl(mediaPath) {
      return mediaUrlFor('media://local/', mediaPath);
    },
  };
}
