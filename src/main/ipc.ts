import { type ApiHandlers, type ApiMethod, apiMethods, parseRequest } from '../shared/api';
import { errorReply, expectedErrorStatus, expectedReply, type IpcResult } from '../shared/errors';
import type { EventName, Events, Notifier } from '../shared/events';

/**
 * IPC registration for the Electron shell. Written against small structural interfaces (not
 * Electron's classes) so it runs in plain Node tests; index.ts passes the real ipcMain.
 */

/** The part of Electron's WebFrameMain the sender check needs. */
export interface SenderFrameLike {
  url: string;
  parent: unknown;
}

export interface IpcInvokeEventLike {
  senderFrame: SenderFrameLike | null;
}

export interface IpcMainLike {
  // biome-ignore lint/suspicious/noExplicitAny: mirrors Electron's own listener signature
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: any[]) => unknown): void;
  removeHandler(channel: string): void;
}

/**
 * One `ipcMain.handle(method)` per Api method. Every call is refused unless it comes from the
 * top frame of the app's own page, and every payload is validated with the contract's schema
 * before the handler sees it. Returns a function that removes the handlers.
 */
export function registerApi(
  ipc: IpcMainLike,
  handlers: ApiHandlers,
  isTrustedPage: (url: string) => boolean,
): () => void {
  for (const method of apiMethods) {
    ipc.handle(method, (event, payload: unknown) => answer(method, event, payload, handlers, isTrustedPage));
  }
  return () => {
    for (const method of apiMethods) ipc.removeHandler(method);
  };
}

async function answer(
  method: ApiMethod,
  event: IpcInvokeEventLike,
  payload: unknown,
  handlers: ApiHandlers,
  isTrustedPage: (url: string) => boolean,
): Promise<IpcResult> {
  const frame = event.senderFrame;
  // A subframe (parent set) or any page other than ours must not drive the core.
  if (!frame || frame.parent || !isTrustedPage(frame.url)) {
    const message = `${method} was refused: it did not come from Komorebi's own window.`;
    return { ok: false, error: expectedReply('ForbiddenError', message) };
  }
  try {
    const input = parseRequest(method, payload);
    const handler = handlers[method] as (input: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(input) };
  } catch (error) {
    const reply = errorReply(error);
    if (expectedErrorStatus(reply.name) === undefined) console.error(`[komorebi] ${method} failed:`, error);
    return { ok: false, error: reply };
  }
}

/** The part of Electron's WebContents the notifier needs. */
export interface EventTarget {
  send(channel: string, payload: unknown): void;
  isDestroyed(): boolean;
}

/**
 * The core's Notifier in the Electron shell: each event goes to every window on channel
 * `event:<name>`. The only place that calls webContents.send, so the core never knows windows exist.
 */
export class IpcNotifier implements Notifier {
  private readonly targets = new Set<EventTarget>();

  attach(target: EventTarget): () => void {
    this.targets.add(target);
    return () => this.targets.delete(target);
  }

  emit<E extends EventName>(event: E, payload: Events[E]): void {
    for (const target of this.targets) {
      if (target.isDestroyed()) this.targets.delete(target);
      else target.send(`event:${event}`, payload);
    }
  }
}
