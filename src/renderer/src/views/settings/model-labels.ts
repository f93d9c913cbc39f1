import type { EmbeddingModel, ModelDownload } from '../../../../shared/model';
import { formatBytes } from '../../format';

/** The model Komorebi ships and builds itself: works offline, weaker than ResNet-50. */
export const OFFLINE_MODEL_ID = 'mobilenet-v2-offline';

export function modelCounts(models: readonly EmbeddingModel[]): {
  active: EmbeddingModel | undefined;
  available: number;
  embedded: number;
} {
  const active = models.find((m) => m.active);
  return {
    active,
    available: models.filter((m) => m.available).length,
    embedded: active?.embedded ?? 0,
  };
}

/** What a model row says about the model's state. */
export function modelStateLabel(model: EmbeddingModel): string {
  if (model.active) return 'In use';
  if (model.available) return 'Ready';
  return model.source === 'download' ? 'Not downloaded' : 'Not imported';
}

/** "12.4 MB of 102.5 MB" while downloading, then what is happening or how it ended. */
export function downloadLabel(d: ModelDownload): string {
  switch (d.step) {
    case 'downloading':
      return d.total ? `${formatBytes(d.received)} of ${formatBytes(d.total)}` : formatBytes(d.received);
    case 'converting':
      return 'Converting it for Komorebi on this computer…';
    case 'ready':
      return 'Ready and in use; the library is being indexed with it in the background.';
    case 'cancelled':
      return 'Cancelled; nothing was kept.';
    case 'failed':
      return `Could not get it: ${d.error ?? 'unknown error'}`;
  }
}

export function downloadRunning(d: ModelDownload | null | undefined): boolean {
  return d?.step === 'downloading' || d?.step === 'converting';
}

/** The one-click action for a model that is not here: the copy already on disk, or the download. */
export function getModelLabel(model: EmbeddingModel): string {
  if (model.localCopy) return 'Use the copy in your Hugging Face cache';
  return model.downloadBytes ? `Download (${formatBytes(model.downloadBytes)})` : 'Download';
}

/** The first-run suggestion, in plain words. */
export function suggestionText(model: EmbeddingModel): string {
  const size = model.downloadBytes ? ` (${formatBytes(model.downloadBytes)})` : '';
  const found = model.localCopy ? ' Komorebi found it in your Hugging Face cache: no download needed.' : '';
  return (
    `Find similar will be better with ${model.displayName}${size}, the model the original photo workflow used.` +
    `${found} The built-in model works meanwhile.`
  );
}
