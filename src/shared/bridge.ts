import type { ApiInput, ApiMethod, ApiOutput } from './api';
import type { IpcResult } from './errors';
import type { EventName, Events } from './events';

/**
 * What the Electron preload exposes as `window.komorebi`: one named function per Api method,
 * answering with an IpcResult (a failure is data, so its name survives contextBridge), plus
 * `onEvent`. Never ipcRenderer, a channel name the page chooses, or an Electron event object.
 */
export type KomorebiBridge = {
  [M in ApiMethod]: (input: ApiInput<M>) => Promise<IpcResult<ApiOutput<M>>>;
} & {
  onEvent<E extends EventName>(name: E, listener: (payload: Events[E]) => void): () => void;
};
