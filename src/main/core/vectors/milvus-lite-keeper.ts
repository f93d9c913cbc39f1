import {
  freeLoopbackPort,
  type MilvusLiteOptions,
  type MilvusLiteServer,
  startMilvusLite,
} from './milvus-lite';

/** Waits between restarts of a server that keeps dying: doubling from 1 s up to 30 s. */
const FIRST_RESTART_MS = 1_000;
const MAX_RESTART_MS = 30_000;

/**
 * The Milvus Lite server Komorebi runs for the user: started again, on the same port and data
 * file, whenever it ends without being asked to (killed by the OS for memory, a crash). Nobody
 * else is there to restart it, and the store's connection goes on at the same address, so the
 * outbox drains by itself once it is back. `pid` is the current process's.
 */
export async function keepMilvusLiteRunning(options: MilvusLiteOptions): Promise<MilvusLiteServer> {
  const port = options.port ?? (await freeLoopbackPort());
  let current = await startMilvusLite({ ...options, port });
  let stopped = false;
  let waitMs = FIRST_RESTART_MS;
  let timer: NodeJS.Timeout | null = null;

  const watch = (server: MilvusLiteServer): void => {
    void server.exited.then(() => {
      if (!stopped && server === current) timer = setTimeout(() => void restart(), waitMs);
    });
  };
  const restart = async (): Promise<void> => {
    timer = null;
    if (stopped) return;
    try {
      const next = await startMilvusLite({ ...options, port });
      if (stopped) {
        await next.stop();
        return;
      }
      current = next;
      waitMs = FIRST_RESTART_MS;
      watch(next);
    } catch {
      // Not started (the port taken meanwhile, the disk full): tried again, less often.
      waitMs = Math.min(MAX_RESTART_MS, waitMs * 2);
      if (!stopped) timer = setTimeout(() => void restart(), waitMs);
    }
  };
  watch(current);

  return {
    uri: current.uri,
    port,
    get pid() {
      return current.pid;
    },
    dataFile: current.dataFile,
    get exited() {
      return current.exited;
    },
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current.stop();
    },
  };
}
