/** A version row as the window sees it, with the one-click fix for a model that is gone. */
import type {
  ComicVersion,
  PageRect,
  StudioModelSetting,
  StudioModels,
  StudioSettings,
} from '../../../shared/model';
import type { VersionFailure, VersionRow } from './session-store';
import { studioMediaPath } from './studio-files';

interface VersionExtras {
  region?: PageRect;
  imageModel?: string;
  failure?: VersionFailure;
}

/** What a failed version's fix is worked out against: today's settings and models. */
export interface FixContext {
  settings: StudioSettings;
  models: StudioModels;
}

export function toVersion(v: VersionRow, now: FixContext | null): ComicVersion {
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
    fix: v.state === 'failed' && extras.failure && now ? fixFor(v, extras, now) : null,
  };
}

/**
 * A model the service no longer knows, or one this key may not use: the setting that drew with
 * it, a live model for it, and the value to write (the model, or '' when the setting was
 * automatic and its automatic choice has already moved on). Null once the settings moved on.
 */
function fixFor(v: VersionRow, extras: VersionExtras, { settings, models }: FixContext): ComicVersion['fix'] {
  const f = extras.failure!;
  if (!f.model || (f.kind !== 'model-not-found' && f.kind !== 'no-model-access')) return null;
  const imageSetting: StudioModelSetting =
    v.engine === 'openai-images' ? 'imagesModel' : 'responsesImageModel';
  const setting: StudioModelSetting | null =
    f.model === extras.imageModel ? imageSetting : f.model === v.model ? 'responsesModel' : null;
  if (!setting) return null;
  const chosen = settings[setting];
  if (chosen === '') {
    const now = models.effective[setting];
    return now && now !== f.model ? { setting, from: f.model, to: now, value: '' } : null;
  }
  if (chosen !== f.model) return null;
  const list = setting === 'responsesModel' ? models.main : models.image;
  const to =
    list.find((m) => m.id === f.model)?.replacement ??
    list.find((m) => m.id !== f.model && m.known && m.status !== 'retired')?.id;
  return to ? { setting, from: f.model, to, value: to } : null;
}
