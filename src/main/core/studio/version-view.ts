/** A version row as the window sees it, with the one-click fix for a model that is gone. */
import type { ComicVersion, PageRect, StudioModelSetting, StudioModels } from '../../../shared/model';
import type { VersionFailure, VersionRow } from './session-store';
import { studioMediaPath } from './studio-files';

interface VersionExtras {
  region?: PageRect;
  imageModel?: string;
  failure?: VersionFailure;
}

export function toVersion(v: VersionRow, models: StudioModels | null): ComicVersion {
  const usage = v.usage ? (JSON.parse(v.usage) as { totalTokens?: number }) : null;
  const extras = JSON.parse(v.options || '{}') as VersionExtras;
  return {
    id: v.id,
    parentId: v.parent_id,
    prompt: v.prompt,
    state: v.state,
    error: v.error,
    image: studioMediaPath(v.image),
    engine: v.engine,
    model: v.model,
    imageModel: extras.imageModel ?? null,
    region: extras.region ?? null,
    tokens: usage?.totalTokens ?? null,
    costUsd: v.cost_usd,
    createdAt: v.created_at,
    fix: v.state === 'failed' && extras.failure && models ? fixFor(extras.failure, v.engine, models) : null,
  };
}

const SETTINGS_OF: Record<string, StudioModelSetting[]> = {
  'openai-images': ['imagesModel'],
  'openai-responses': ['responsesImageModel', 'responsesModel'],
};

/**
 * A model the service no longer knows, or one this key may not use: the setting that still
 * points at it, and a live model to switch to. Null once the settings moved on.
 */
function fixFor(f: VersionFailure, engine: string, models: StudioModels): ComicVersion['fix'] {
  if (!f.model || (f.kind !== 'model-not-found' && f.kind !== 'no-model-access')) return null;
  for (const setting of SETTINGS_OF[engine] ?? []) {
    if (models.effective[setting] !== f.model) continue;
    const list = setting === 'responsesModel' ? models.main : models.image;
    const info = list.find((m) => m.id === f.model);
    const to =
      info?.replacement ??
      list.find((m) => m.id !== f.model && m.known && m.status !== 'retired')?.id ??
      null;
    return to ? { setting, from: f.model, to } : null;
  }
  return null;
}
