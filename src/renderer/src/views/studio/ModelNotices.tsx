import type { ReactElement } from 'react';
import type { StudioModelSetting, StudioModels } from '../../../../shared/model';

/**
 * Above the comic: a model the next generation uses shuts down soon (or has), with its date
 * and a one-click switch; and, when OpenAI could not be asked, that the list is an older one.
 */
export function ModelNotices({
  models,
  onSwitch,
}: {
  models: StudioModels;
  onSwitch(setting: StudioModelSetting, model: string): void;
}): ReactElement | null {
  const stale = models.source !== 'live';
  if (models.notices.length === 0 && !stale) return null;
  return (
    <div className="model-notices">
      {models.notices.map((n) => (
        <div key={n.setting} className="banner banner-warn" role="status" data-testid="studio-model-notice">
          <span>{n.message}</span>
          {n.replacement && (
            <button
              type="button"
              className="button button-quiet"
              onClick={() => onSwitch(n.setting, n.replacement!)}
            >
              Switch to {n.replacement}
            </button>
          )}
        </div>
      ))}
      {stale && (
        <div className="banner banner-warn" role="status" data-testid="studio-model-source">
          {models.summary}
        </div>
      )}
    </div>
  );
}
