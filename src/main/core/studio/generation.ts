import { readFile } from 'node:fs/promises';
import type { Notifier } from '../../../shared/events';
import type {
  ComicEngine,
  ComicQuality,
  ComicSize,
  GenerateRequest,
  GenerateResult,
  GenerateUsage,
  PreparedReference,
} from './engine';
import { estimateCost } from './engine';
import { isStudioError, StudioError } from './errors';
import { GenerationProgress } from './progress';
import { prepareReference } from './references';
import type { SessionStore, VersionOutcome } from './session-store';
import { type StudioFiles, studioMediaPath } from './studio-files';

/** Why a drawing was stopped: the user's Cancel, or Komorebi quitting. */
export type StopReason = 'cancel' | 'closing';

export const CLOSED_WHILE_DRAWING = 'Komorebi was closed while this was drawing; generate again.';

/** A reference photo as stored: its content hash and the files that hold it (first readable one wins). */
export interface ReferenceSource {
  hash: string;
  paths: string[];
}

/** One press of Generate: n versions drawn in one engine call. */
export interface DrawJob {
  sessionId: number;
  versionIds: number[];
  engine: ComicEngine;
  prompt: string;
  size: ComicSize;
  quality: ComicQuality;
  /** Only the photos the user included; nothing else leaves the machine. */
  references: ReferenceSource[];
  referenceMaxSide: number;
  /** The version refined: its response id (Responses engine) and its page file. */
  previous?: { responseId?: string; pageFile: string };
  signal: AbortSignal;
  /** Called once the drawing is over, just before the final states are recorded and sent. */
  onEnd?: () => void;
}

export interface DrawDeps {
  store: SessionStore;
  files: StudioFiles;
  notifier: Notifier;
}

/**
 * Draws the versions of one Generate press and records how each ended. Never throws: every
 * outcome (done, failed, cancelled) is written to its row and sent as 'studio:progress'.
 */
export async function drawVersions(job: DrawJob, deps: DrawDeps): Promise<void> {
  const progress = new GenerationProgress(deps.notifier, job.sessionId, Date.now());
  progress.started(job.versionIds);
  const partialWrites = new Set<Promise<void>>();
  let outcomes: Map<number, VersionOutcome>;
  try {
    const references = await prepareAll(job.references, job.referenceMaxSide, job.signal);
    const previous = job.previous
      ? { responseId: job.previous.responseId, image: await readPreviousPage(job.previous.pageFile) }
      : undefined;
    const request: GenerateRequest = {
      prompt: job.prompt,
      references,
      size: job.size,
      quality: job.quality,
      n: job.versionIds.length,
      previous,
      signal: job.signal,
      onPartial: (b64, index, partialIndex) => {
        const versionId = job.versionIds[index];
        if (versionId === undefined) return;
        const rel = deps.files.partialPath(job.sessionId, versionId, partialIndex);
        const write = deps.files
          .write(rel, Buffer.from(b64, 'base64'))
          .then(() => progress.partial(versionId, studioMediaPath(rel)!))
          .catch(() => {}) // a lost preview is not worth failing the page for
          .finally(() => partialWrites.delete(write));
        partialWrites.add(write);
      },
      onRetry: (info) => progress.retrying(info.delaySeconds),
    };
    const result = await generateWithFallback(job.engine, request);
    await Promise.all(partialWrites);
    outcomes = await savePages(job, deps, result);
  } catch (err) {
    await Promise.all(partialWrites);
    const { state, message } = outcomeOf(err, job.signal);
    outcomes = new Map(job.versionIds.map((id) => [id, { state, error: message }]));
  }
  await deps.files.removePartials(job.sessionId, job.versionIds).catch(() => {});
  // The session is free again before anyone hears it ended, so "generate again" is never refused.
  job.onEnd?.();
  for (const [id, outcome] of outcomes) {
    deps.store.finish(id, outcome);
    progress.finished(id, outcome.state as 'done' | 'failed' | 'cancelled', outcome.error ?? null);
  }
}

/** Writes each page; a variation the server did not return is failed, the others are kept. */
async function savePages(
  job: DrawJob,
  deps: DrawDeps,
  result: GenerateResult,
): Promise<Map<number, VersionOutcome>> {
  const n = job.versionIds.length;
  const cost = estimateCost({
    engine: job.engine.id,
    model: job.engine.model,
    quality: job.quality,
    size: job.size,
    n,
    usage: result.usage,
  });
  // One call drew every variation: its usage and cost are shared evenly between them.
  const share = perVersion(result.usage, n);
  const outcomes = new Map<number, VersionOutcome>();
  for (const [i, id] of job.versionIds.entries()) {
    const image = result.images[i];
    if (!image) {
      const error = `OpenAI returned ${result.images.length} of ${n} pages; this variation was not drawn. Generate again.`;
      outcomes.set(id, { state: 'failed', error });
      continue;
    }
    const rel = deps.files.pagePath(job.sessionId, id);
    await deps.files.write(rel, image);
    outcomes.set(id, {
      state: 'done',
      image: rel,
      responseId: result.responseIds?.[i] ?? (i === 0 ? result.responseId : undefined) ?? null,
      model: result.model,
      usage: share,
      costUsd: cost.usd === null ? null : cost.usd / n,
    });
  }
  return outcomes;
}

/**
 * OpenAI keeps a response for 30 days; refining an older version answers
 * previous_response_not_found. The page itself is on disk, so it is sent as an image instead.
 */
async function generateWithFallback(engine: ComicEngine, req: GenerateRequest): Promise<GenerateResult> {
  try {
    return await engine.generate(req);
  } catch (err) {
    const expired = isStudioError(err) && err.code === 'previous_response_not_found';
    if (!expired || !req.previous?.responseId || !req.previous.image || req.signal.aborted) throw err;
    return engine.generate({ ...req, previous: { image: req.previous.image } });
  }
}

async function prepareAll(
  sources: ReferenceSource[],
  maxSide: number,
  signal: AbortSignal,
): Promise<PreparedReference[]> {
  const out: PreparedReference[] = [];
  for (const source of sources) {
    if (signal.aborted) throw signal.reason;
    out.push(await prepareFirstReadable(source, maxSide));
  }
  if (signal.aborted) throw signal.reason;
  return out;
}

/** A photo may be stored in several places; one that moved or went offline is skipped. */
async function prepareFirstReadable(source: ReferenceSource, maxSide: number): Promise<PreparedReference> {
  let last: unknown;
  for (const path of source.paths) {
    try {
      return await prepareReference(path, { maxSide });
    } catch (err) {
      last = err;
    }
  }
  throw (
    last ??
    new StudioError({
      kind: 'bad-reference',
      message:
        'A reference photo is no longer in the library (its folder is offline or the file was removed). Reconnect the folder, or remove the photo from this comic.',
      retryable: false,
    })
  );
}

async function readPreviousPage(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch {
    throw new StudioError({
      kind: 'bad-reference',
      message: `The page being refined is missing from ${file}. Refine another version, or generate a new page.`,
      retryable: false,
    });
  }
}

function outcomeOf(
  err: unknown,
  signal: AbortSignal,
): { state: 'failed' | 'cancelled'; message: string | null } {
  if (signal.aborted) {
    return signal.reason === 'closing'
      ? { state: 'failed', message: CLOSED_WHILE_DRAWING }
      : { state: 'cancelled', message: null };
  }
  if (isStudioError(err)) {
    return err.kind === 'cancelled'
      ? { state: 'cancelled', message: null }
      : { state: 'failed', message: err.message };
  }
  const why = err instanceof Error ? err.message : String(err);
  return { state: 'failed', message: `The page could not be made or saved: ${why}. Try again.` };
}

function perVersion(usage: GenerateUsage, n: number): GenerateUsage & { sharedBy: number } {
  const share = (x: number) => Math.round(x / n);
  return {
    inputTokens: share(usage.inputTokens),
    outputTokens: share(usage.outputTokens),
    totalTokens: share(usage.totalTokens),
    ...(usage.imageTokens === undefined ? {} : { imageTokens: share(usage.imageTokens) }),
    sharedBy: n,
  };
}
