import Database from 'better-sqlite3';
import { type Core, dataPaths } from '../../src/main/core/app';

/**
 * Photos of the library (in a reachable folder) that the model has neither a vector for nor
 * a failed job: what the embedding sweep still has to queue or the queue still has to run.
 */
const NOT_INDEXED = `
  SELECT count(DISTINCT f.hash) FROM files f JOIN folders d ON d.id = f.folder_id
  WHERE f.status = 'ok' AND d.status != 'offline'
    AND NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.hash = f.hash AND e.model_id = @model)
    AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.kind = 'embed' AND j.key = @model || ':' || f.hash
                    AND j.state = 'failed')`;

export interface SettleOptions {
  /** Every photo must have a vector (or a failed job). Off for a test that cancelled indexing. */
  everyPhotoIndexed?: boolean;
  timeoutMs?: number;
  /**
   * How often to ask (default 25 ms). `library:status` is O(library): a benchmark that measures
   * the process it polls asks at about the window's pace instead (the window: every 2 s at most).
   */
  pollMs?: number;
}

/**
 * Waits until the core has nothing left to do, by looking at what it has done: no job
 * pending or running, every photo indexed by the active model (or failed, with its reason:
 * this also covers a sweep that is still to come after a library change), and the vector
 * index open with nothing left in its outbox. It polls; it never sleeps a fixed time and
 * assumes. Throws, saying what was still going on, after the timeout.
 */
export async function waitUntilSettled(core: Core, opts: SettleOptions = {}): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const db = new Database(dataPaths(core.dataDir).database, { readonly: true, fileMustExist: true });
  const notIndexed = db.prepare(NOT_INDEXED).pluck();
  try {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const busy = await stillBusy(core, (model) =>
        opts.everyPhotoIndexed === false ? 0 : (notIndexed.get({ model }) as number),
      );
      if (!busy) return;
      if (Date.now() > until) throw new Error(`The core did not settle in ${timeoutMs} ms: ${busy}`);
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 25));
    }
  } finally {
    db.close();
  }
}

/** What the core is still doing, in words, or null when it is done. */
async function stillBusy(core: Core, notIndexed: (model: string) => number): Promise<string | null> {
  const { jobs } = await core.handlers['library:status']({});
  const working = Object.entries(jobs).filter(([, c]) => c.pending + c.running > 0);
  if (working.length > 0) return `jobs waiting: ${JSON.stringify(Object.fromEntries(working))}`;
  const vectors = await core.handlers['vectors:status']({});
  if (vectors.model === null) return null;
  const missing = notIndexed(vectors.model);
  if (missing > 0) return `${missing} photos not indexed yet by ${vectors.model}`;
  if (vectors.state !== 'ready' || vectors.outbox > 0) return `vector index: ${JSON.stringify(vectors)}`;
  return null;
}
