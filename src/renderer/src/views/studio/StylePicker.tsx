import { type FormEvent, type ReactElement, useState } from 'react';
import { limits } from '../../../../shared/limits';
import type { ComicStyle } from '../../../../shared/model';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errors';

/**
 * Drawing style presets: the built-in ones plus the user's own ("Save as preset" stores a
 * name and a description of the look; user presets can be deleted).
 */
export function StylePicker({
  styles,
  value,
  disabled,
  onChange,
  onStyles,
  onError,
}: {
  styles: ComicStyle[];
  value: string;
  disabled: boolean;
  onChange(id: string): void;
  onStyles(styles: ComicStyle[]): void;
  onError(message: string | null): void;
}): ReactElement {
  const [adding, setAdding] = useState(false);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const current = styles.find((s) => s.id === value);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim() || !description.trim()) {
      onError('Give the preset a name and describe the look (lines, colours, mood).');
      return;
    }
    try {
      const next = await api['studio:save-style']({ name: name.trim(), prompt: description.trim() });
      onStyles(next);
      const saved = next.find((s) => !s.builtIn && s.name === name.trim());
      if (saved) onChange(saved.id);
      setAdding(false);
      setName('');
      setDescription('');
      onError(null);
    } catch (e) {
      onError(errorMessage(e));
    }
  };

  const remove = async (style: ComicStyle) => {
    try {
      const next = await api['studio:delete-style']({ id: style.id });
      onStyles(next);
      if (value === style.id && next[0]) onChange(next[0].id);
    } catch (e) {
      onError(errorMessage(e));
    }
  };

  return (
    <fieldset className="studio-field style-picker" disabled={disabled}>
      <legend className="field-label">Style</legend>
      <div className="chip-row">
        {styles.map((style) => (
          <span key={style.id} className="chip-wrap">
            <button
              type="button"
              aria-pressed={style.id === value}
              className={style.id === value ? 'chip is-on' : 'chip'}
              title={style.prompt}
              data-testid="studio-style"
              data-style-id={style.id}
              onClick={() => onChange(style.id)}
            >
              {style.name}
            </button>
            {!style.builtIn && (
              <button
                type="button"
                className="chip-remove"
                aria-label={`Delete the preset ${style.name}`}
                title="Delete this preset"
                onClick={() => void remove(style)}
              >
                ×
              </button>
            )}
          </span>
        ))}
        {!adding && (
          <button type="button" className="chip chip-add" onClick={() => setAdding(true)}>
            Save as preset…
          </button>
        )}
      </div>
      {current && !adding && <p className="muted small style-description">{current.prompt}</p>}
      {adding && (
        <form className="style-form" onSubmit={save}>
          <input
            className="text-input"
            placeholder="Preset name, e.g. Ink and rain"
            aria-label="Preset name"
            maxLength={limits.titleChars}
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
          <textarea
            className="text-area"
            placeholder="Describe the look: lines, colours, lettering, mood…"
            aria-label="Preset description"
            rows={3}
            maxLength={limits.stylePromptChars}
            value={description}
            onChange={(event) => setDescription(event.target.value)}
          />
          <div className="field-row">
            <button type="submit" className="button button-primary">
              Save preset
            </button>
            <button type="button" className="button button-quiet" onClick={() => setAdding(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </fieldset>
  );
}
