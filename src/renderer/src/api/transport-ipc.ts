import type { ApiInput, ApiMethod, ApiOutput } from '../../../shared/api';
import type { KomorebiBridge } from '../../../shared/bridge';
import type { IpcResult } from '../../../shared/errors';
import { ApiError, cleanIpcErrorMessage, errorMessage, valueOfResult } from './errors';
import { mediaUrlFor } from './media';
import type { Transport } from './transport';

export type { KomorebiBridge };

export function findBridge(): KomorebiBridge | null {
  const candidate = (globalThis as { komorebi?: unknown }).komorebi;
  return typeof candidate === 'object' && candidate !== null ? (candidate as KomorebiBridge) : null;
}

/** Electron: each call goes through the preload's named function and answers with an IpcResult. */
export function createIpcTransport(bridge: KomorebiBridge): Transport {
  return {
    kind: 'electron',
    async call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
      const fn = bridge[method] as unknown as
        | ((input: ApiInput<M>) => Promise<IpcResult<ApiOutput<M>>>)
        | undefined;
      if (typeof fn !== 'function') {
        throw new ApiError(method, {
          name: 'Error',
          message: `This version of Komorebi's window asks for "${method}", which the app does not offer. Restart Komorebi.`,
        });
      }
      let result: IpcResult<ApiOutput<M>>;
      try {
        result = await fn(input);
      } catch (error) {
        // Electron failed the invoke itself (our handler always answers with a result).
        throw new ApiError(method, { name: 'Error', message: cleanIpcErrorMessage(errorMessage(error)) });
      }
      return valueOfResult(method, result);
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
