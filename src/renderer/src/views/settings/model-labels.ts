import type { EmbeddingModel } from '../../../../shared/model';
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

export interface DownloadProgress {
  received: number;
  total: number | null;
  done: boolean;
  error: string | null;
}

/** "12.4 MB of 97.8 MB", "12.4 MB" while the size is unknown, or the outcome. */
export function downloadLabel(p: DownloadProgress): string {
  if (p.error) return `Download failed: ${p.error}`;
  if (p.done) return 'Downloaded';
  return p.total ? `${formatBytes(p.received)} of ${formatBytes(p.total)}` : formatBytes(p.received);
}
