import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import { type Api, type ApiMethod, apiMethods } from '../shared/api';
import { type EventName, type Events, eventNames } from '../shared/events';

/**
 * The window's only door to the app: one named function per Api method plus `onEvent`. The
 * renderer never gets ipcRenderer, a channel name it chooses, or an Electron event object.
 */
export type KomorebiBridge = Api & {
  onEvent<E extends EventName>(name: E, listener: (payload: Events[E]) => void): () => void;
};

type IpcResult = { ok: true; value: unknown } | { ok: false; error: { name: string; message: string } };

async function call(method: ApiMethod, input: unknown): Promise<unknown> {
  const result = (await ipcRenderer.invoke(method, input)) as IpcResult;
  if (result.ok) return result.value;
  const error = new Error(result.error.message);
  error.name = result.error.name;
  throw error;
}

const api = Object.fromEntries(
  apiMethods.map((method) => [method, (input: unknown) => call(method, input)]),
) as Api;

function onEvent<E extends EventName>(name: E, listener: (payload: Events[E]) => void): () => void {
  if (!eventNames.includes(name)) throw new Error(`"${String(name)}" is not a Komorebi event.`);
  if (typeof listener !== 'function') throw new Error(`onEvent("${name}") needs a function to call.`);
  const channel = `event:${name}`;
  const forward = (_event: IpcRendererEvent, payload: Events[E]) => listener(payload);
  ipcRenderer.on(channel, forward);
  return () => {
    ipcRenderer.removeListener(channel, forward);
  };
}

const bridge = { ...api, onEvent } satisfies KomorebiBridge;

contextBridge.exposeInMainWorld('komorebi', bridge);
