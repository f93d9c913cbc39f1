import { type FormEvent, type ReactElement, useCallback, useEffect, useState } from 'react';
import { limits } from '../../../../shared/limits';
import type { StudioSettings as Settings, StudioOptions } from '../../../../shared/model';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { ModelPicker } from '../studio/ModelPicker';
import { OpenAIKeySettings } from './OpenAIKeySettings';

type Draft = Pick<Settings, 'engine' | 'responsesModel' | 'responsesImageModel' | 'imagesModel'> & {
  referenceMaxSide: string;
};

function draftOf(s: Settings): Draft {
  return {
    engine: s.engine,
    responsesModel: s.responsesModel,
    responsesImageModel: s.responsesImageModel,
    imagesModel: s.imagesModel,
    referenceMaxSide: String(s.referenceMaxSide),
  };
}

/**
 * Settings → Comic Studio: which OpenAI engine and models draw comics, how large reference
 * photos leave the machine, and the API key with its endpoint (OpenAIKeySettings), which the
 * core keeps and never shows again.
 */
export function StudioSettings(): ReactElement {
  const [options, setOptions] = useState<StudioOptions | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);

  const load = useCallback(async () => {
    try {
      const next = await api['studio:options']({});
      setOptions(next);
      setDraft(draftOf(next.settings));
    } catch (e) {
      setNotice({ ok: false, text: errorMessage(e) });
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const act = async (action: () => Promise<string>) => {
    setBusy(true);
    setNotice(null);
    try {
      setNotice({ ok: true, text: await action() });
    } catch (e) {
      setNotice({ ok: false, text: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  const save = (event: FormEvent) => {
    event.preventDefault();
    if (!draft) return;
    const side = Number(draft.referenceMaxSide);
    const { min, max } = limits.referenceMaxSide;
    if (!Number.isInteger(side) || side < min || side > max) {
      setNotice({
        ok: false,
        text: `Reference size must be a whole number of pixels from ${min} to ${max}.`,
      });
      return;
    }
    void act(async () => {
      const saved = await api['studio:settings']({
        engine: draft.engine,
        responsesModel: draft.responsesModel.trim(),
        responsesImageModel: draft.responsesImageModel.trim(),
        imagesModel: draft.imagesModel.trim(),
        referenceMaxSide: side,
      });
      await load(); // the models, sizes and qualities follow the new settings
      setDraft(draftOf(saved));
      return 'Comic Studio settings saved.';
    });
  };

  const refreshModels = () =>
    act(async () => {
      const models = await api['studio:models']({ refresh: true });
      setOptions((o) => (o ? { ...o, models } : o));
      return models.summary;
    });

  const dirty = options && draft && JSON.stringify(draftOf(options.settings)) !== JSON.stringify(draft);
  const set = (change: Partial<Draft>) => setDraft((d) => (d ? { ...d, ...change } : d));

  return (
    <section
      className="card studio-settings"
      aria-labelledby="studio-settings-title"
      data-testid="studio-settings"
    >
      <h2 id="studio-settings-title">Comic Studio (OpenAI)</h2>
      <p className="muted">
        Comics are drawn by OpenAI with your own API key. Only the photos you include in a comic are sent,
        downscaled and without location or camera data.
      </p>
      {!options || !draft ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          <OpenAIKeySettings options={options} busy={busy} act={act} reload={load} />
          <form className="settings-grid" onSubmit={save}>
            <label className="settings-item">
              <span className="field-label">Engine</span>
              <select
                className="select"
                data-testid="openai-engine"
                value={draft.engine}
                onChange={(event) => set({ engine: event.target.value as Settings['engine'] })}
              >
                <option value="openai-responses">Responses API (main model + image tool)</option>
                <option value="openai-images">Images API (image model only)</option>
              </select>
            </label>
            <ModelPicker
              label="Main model (Responses engine)"
              setting="responsesModel"
              value={draft.responsesModel}
              models={options.models}
              onChange={(responsesModel) => set({ responsesModel })}
            />
            <ModelPicker
              label="Image model of the Responses engine"
              setting="responsesImageModel"
              value={draft.responsesImageModel}
              models={options.models}
              onChange={(responsesImageModel) => set({ responsesImageModel })}
            />
            <ModelPicker
              label="Images API model"
              setting="imagesModel"
              value={draft.imagesModel}
              models={options.models}
              onChange={(imagesModel) => set({ imagesModel })}
            />
            <p className="settings-wide muted small model-list-line" data-testid="studio-models-summary">
              {options.models.summary}{' '}
              <button
                type="button"
                className="link-button"
                disabled={busy}
                onClick={() => void refreshModels()}
              >
                Ask OpenAI again
              </button>
            </p>
            <label className="settings-item">
              <span className="field-label">Reference photos are sent at most (px, long side)</span>
              <input
                type="number"
                className="text-input"
                min={limits.referenceMaxSide.min}
                max={limits.referenceMaxSide.max}
                step={64}
                value={draft.referenceMaxSide}
                onChange={(event) => set({ referenceMaxSide: event.target.value })}
              />
            </label>
            <div className="settings-item settings-actions">
              <button
                type="submit"
                className="button button-primary"
                disabled={busy || !dirty}
                data-testid="studio-settings-save"
              >
                Save settings
              </button>
              {dirty && (
                <button
                  type="button"
                  className="button button-quiet"
                  onClick={() => setDraft(draftOf(options.settings))}
                >
                  Undo changes
                </button>
              )}
            </div>
          </form>
        </>
      )}
      {notice && (
        <p
          className={notice.ok ? 'notice-ok' : 'field-error'}
          role={notice.ok ? 'status' : 'alert'}
          data-testid="studio-settings-notice"
        >
          {notice.text}
        </p>
      )}
    </section>
  );
}
