import sharp from 'sharp';
import type { Notifier } from '../../../shared/events';
import type { PageRect } from '../../../shared/model';
import type {
  ComicEngine,
  ComicQuality,
  ComicSize,
  GenerateRequest,
  GenerateResult,
  GenerateUsage,
} from './engine';
import { estimateCost } from './engine';
import { isStudioError, type StudioError } from './errors';
import { prepareAll, type ReferenceSource, readPreviousPage } from './generation-inputs';
import { maxImageBytes } from './models/limits';
import { GenerationProgress } from './progress';
import { compositePanel, panelMask } from './redraw';
import type { SessionStore, VersionOutcome } from './session-store';
import { type StudioFiles, studioMediaPath } from './studio-files';

export type { ReferenceSource } from './generation-inputs';

/** Why a drawing was stopped: the user's Cancel, or Komorebi quitting. */
export type StopReason = 'cancel' | 'closing';

export const CLOSED_WHILE_DRAWING = 'Komorebi was closed while this was drawing; generate again.';

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
  /** Redraw only this rectangle of the previous page (a panel); the rest stays the parent's. */
  region?: PageRect;
  /** Partial images streamed per page, for the cost estimate. */
  partialImages?: number;
  signal: AbortSignal;
  /** Called once the drawing is over, just before the final states are recorded and sent. */
  onEnd?: () => void;
}

export interface DrawDeps {
  store: SessionStore;
  files: StudioFiles;
  notifier: Notifier;
  /** Told when the service no longer knows a model (404 model_not_found). */
  onModelGone?: (model: string) => void;
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
    const maxBytes = maxImageBytes(job.engine.imageModel);
    const references = await prepareAll(job.references, job.referenceMaxSide, maxBytes, job.signal);
    const previous = job.previous
      ? { responseId: job.previous.responseId, image: await readPreviousPage(job.previous.pageFile) }
      : undefined;
    const mask = job.region && previous ? await maskFor(previous.image, job.region) : undefined;
    const request: GenerateRequest = {
      prompt: job.prompt,
      references,
      size: job.size,
      quality: job.quality,
      n: job.versionIds.length,
      previous,
      mask,
      signal: job.signal,
      onPartial: (b64, index, partialIndex) => {
        const versionId = job.versionIds[index];
        if (versionId === undefined) return;
        const rel = deps.files.partialPath(job.sessionId, versionId, partialIndex);
        const drawn = Buffer.from(b64, 'base64');
        // A panel redraw previews as it will end: the parent's page with only the panel changing.
        const preview =
          job.region && previous ? compositePanel(previous.image, drawn, job.region) : Promise.resolve(drawn);
        const write = preview
          .then((image) => deps.files.write(rel, image))
          .then(() => progress.partial(versionId, studioMediaPath(rel)!))
          .catch(() => {}) // a lost preview is not worth failing the page for
          .finally(() => partialWrites.delete(write));
        partialWrites.add(write);
      },
      onRetry: (info) => progress.retrying(info.delaySeconds),
    };
    const result = await generateWithFallback(job.engine, request);
    await Promise.all(partialWrites);
    const pages =
      job.region && previous
        ? await Promise.all(result.images.map((img) => compositePanel(previous.image, img, job.region!)))
        : result.images;
    outcomes = await savePages(job, deps, { ...result, images: pages });
  } catch (err) {
    await Promise.all(partialWrites);
    if (isStudioError(err) && err.kind === 'model-not-found' && err.model) deps.onModelGone?.(err.model);
    outcomes = failedOutcomes(job, err);
  }
  await deps.files.removePartials(job.sessionId, job.versionIds).catch(() => {});
  // The session is free again before anyone hears it ended, so "generate again" is never refused.
  job.onEnd?.();
  for (const [id, outcome] of outcomes) {
    deps.store.finish(id, outcome);
    progress.finished(id, outcome.state as 'done' | 'failed' | 'cancelled', outcome.error ?? null);
  }
  await deps.files.removeReceipts(job.sessionId, job.versionIds).catch(() => {});
}

/** Writes each page; a variation the server did not return is failed, the others are kept. */
async function savePages(
  job: DrawJob,
  deps: DrawDeps,
  result: GenerateResult,
): Promise<Map<number, VersionOutcome>> {
  const n = job.versionIds.length;
  const cost = costOf(job, result.usage);
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
    const outcome: VersionOutcome = {
      state: 'done',
      image: rel,
      responseId: result.responseIds?.[i] ?? (i === 0 ? result.responseId : undefined) ?? null,
      model: result.model,
      imageModel: result.imageModel ?? job.engine.imageModel ?? null,
      usage: share,
      costUsd: cost.usd === null ? null : cost.usd / n,
    };
    // The receipt first, then the page: a page on disk always has what it cost beside it.
    await deps.files.write(deps.files.receiptPath(job.sessionId, id), Buffer.from(JSON.stringify(outcome)));
    await deps.files.write(rel, image);
    outcomes.set(id, outcome);
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

function costOf(job: DrawJob, usage: GenerateUsage) {
  return estimateCost({
    engine: job.engine.id,
    model: job.engine.model,
    imageModel: job.engine.imageModel,
    quality: job.quality,
    size: job.size,
    n: job.versionIds.length,
    partialImages: job.partialImages,
    usage,
  });
}

async function maskFor(page: Buffer, region: PageRect): Promise<Buffer> {
  const { width = 0, height = 0 } = await sharp(page).metadata();
  return panelMask(width, height, region);
}

/** How each version of a failed drawing ends; what the failed attempts used is kept (it may be billed). */
function failedOutcomes(job: DrawJob, err: unknown): Map<number, VersionOutcome> {
  const { state, message } = outcomeOf(err, job.signal);
  const studioError = isStudioError(err) ? (err as StudioError) : undefined;
  const usage = studioError?.usage;
  const n = job.versionIds.length;
  // No page was drawn: only the tokens reported count, no image estimate (n = 0 pages).
  const usd = usage ? costOf({ ...job, versionIds: [] }, usage).usd : null;
  const failure =
    studioError && state === 'failed'
      ? { kind: studioError.kind, code: studioError.code ?? null, model: studioError.model ?? null }
      : undefined;
  return new Map(
    job.versionIds.map((id) => [
      id,
      {
        state,
        error: message,
        failure,
        ...(usage ? { usage: perVersion(usage, n), costUsd: usd === null ? null : usd / n } : {}),
      },
    ]),
  );
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
