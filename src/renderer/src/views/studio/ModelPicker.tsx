import { type ReactElement, useState } from 'react';
import type { StudioModelInfo, StudioModelSetting, StudioModels } from '../../../../shared/model';

const OTHER = '__other__';

function optionLabel(m: StudioModelInfo): string {
  const when = m.status === 'retired' ? ' — gone' : m.shutdownDate ? ` — shuts down ${m.shutdownDate}` : '';
  return `${m.id}${when}${m.known ? '' : ' — parameters and price unknown'}`;
}

/**
 * One model setting in Settings: "Automatic" (what Komorebi picks from the models the key can
 * use, named), the models OpenAI lists with their shutdown dates, or any other name. The price
 * of the model that will be used is shown under it.
 */
export function ModelPicker({
  label,
  setting,
  value,
  models,
  onChange,
}: {
  label: string;
  setting: StudioModelSetting;
  value: string;
  models: StudioModels;
  onChange(value: string): void;
}): ReactElement {
  const list = setting === 'responsesModel' ? models.main : models.image;
  const listed = value === '' || list.some((m) => m.id === value);
  const [other, setOther] = useState(!listed);
  const auto = models.defaults[setting];
  const used = value || auto;
  const info = list.find((m) => m.id === used);
  return (
    <label className="settings-item">
      <span className="field-label">{label}</span>
      <select
        className="select"
        data-testid={`model-${setting}`}
        value={other ? OTHER : value}
        onChange={(event) => {
          const next = event.target.value;
          setOther(next === OTHER);
          onChange(next === OTHER ? value : next);
        }}
      >
        <option value="">Automatic{auto ? ` (${auto})` : ''}</option>
        {list.map((m) => (
          <option key={m.id} value={m.id}>
            {optionLabel(m)}
          </option>
        ))}
        <option value={OTHER}>Another model…</option>
      </select>
      {other && (
        <input
          className="text-input"
          aria-label={`${label}: model name`}
          spellCheck={false}
          value={value}
          onChange={(event) => onChange(event.target.value.trim())}
        />
      )}
      <span className="muted small model-price" data-testid={`model-${setting}-price`}>
        {used ? `${used}: ${info?.price ?? 'price unknown'}` : 'No model available.'}
      </span>
    </label>
  );
}
