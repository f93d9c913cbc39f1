import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import { apiMethods } from '../shared/api';
import type { KomorebiBridge } from '../shared/bridge';
import type { IpcResult } from '../shared/errors';
import { type EventName, type Events, eventNames } from '../shared/events';

/**
 * The window's only door to the app: one named function per Api method plus `onEvent`. The
 * renderer never gets ipcRenderer, a channel name it chooses, or an Electron event object.
 *
 * Each method answers with the main process's IpcResult as it came, never by throwing: an
 * error thrown across contextBridge arrives as a plain Error with its message only, so the
 * window could no longer tell an export conflict from a failure (shared/errors.ts).
 */
const api = Object.fromEntries(
  apiMethods.map((method) => [
    method,
    (input: unknown) => ipcRenderer.invoke(method, input) as Promise<IpcResult>,
  ]),
) as Omit<KomorebiBridge, 'onEvent'>;

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
