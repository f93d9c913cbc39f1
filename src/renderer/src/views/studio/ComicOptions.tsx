import type { ReactElement } from 'react';
import type { ComicGenerationOptions, StudioOptions } from '../../../../shared/model';

const QUALITY_LABELS: Record<ComicGenerationOptions['quality'], string> = {
  low: 'Draft (fast, cheapest)',
  medium: 'Medium',
  high: 'High (slow, more detail)',
  xhigh: 'Extra high (slower)',
  max: 'Maximum (slowest, most detail)',
  auto: 'Automatic',
};

function sizeLabel(size: string): string {
  if (size === 'auto') return 'Fit the layout';
  const [w, h] = size.split('x').map(Number);
  if (!w || !h) return size;
  const shape = w === h ? 'square' : w > h ? 'wide' : 'tall';
  return `${w} × ${h} (${shape})`;
}

/** Panel layout, page size, quality and number of variations. */
export function ComicOptions({
  studio,
  value,
  disabled,
  onChange,
}: {
  studio: StudioOptions;
  value: ComicGenerationOptions;
  disabled: boolean;
  onChange(next: ComicGenerationOptions): void;
}): ReactElement {
  return (
    <fieldset className="studio-field comic-options" disabled={disabled}>
      <legend className="field-label">Panels</legend>
      <div className="layout-grid">
        {studio.layouts.map((layout) => {
          const on = layout.panels === value.panels && layout.arrangement === value.arrangement;
          return (
            <button
              key={`${layout.panels}-${layout.arrangement}`}
              type="button"
              aria-pressed={on}
              className={on ? 'layout-choice is-on' : 'layout-choice'}
              data-testid="studio-layout"
              data-panels={layout.panels}
              data-arrangement={layout.arrangement}
              title={layout.name}
              onClick={() => onChange({ ...value, panels: layout.panels, arrangement: layout.arrangement })}
            >
              <LayoutGlyph panels={layout.panels} arrangement={layout.arrangement} />
              <span>{layout.name}</span>
            </button>
          );
        })}
      </div>
      <div className="option-row">
        <label className="option">
          <span className="field-label">Page size</span>
          <select
            className="select"
            value={value.size}
            onChange={(event) => onChange({ ...value, size: event.target.value })}
          >
            {studio.sizes.map((size) => (
              <option key={size} value={size}>
                {sizeLabel(size)}
              </option>
            ))}
          </select>
        </label>
        <label className="option">
          <span className="field-label">Quality</span>
          <select
            className="select"
            value={value.quality}
            onChange={(event) =>
              onChange({ ...value, quality: event.target.value as ComicGenerationOptions['quality'] })
            }
          >
            {studio.qualities.map((q) => (
              <option key={q} value={q}>
                {QUALITY_LABELS[q]}
              </option>
            ))}
          </select>
        </label>
        <label className="option option-narrow">
          <span className="field-label">Variations</span>
          <select
            className="select"
            value={value.variations}
            data-testid="studio-variations"
            onChange={(event) => onChange({ ...value, variations: Number(event.target.value) })}
          >
            {[1, 2, 3, 4].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      </div>
    </fieldset>
  );
}

/** A tiny drawing of the layout: a strip is one row, a grid stacks rows. */
function LayoutGlyph({
  panels,
  arrangement,
}: {
  panels: number;
  arrangement: 'strip' | 'grid';
}): ReactElement {
  const rows = glyphRows(panels, arrangement);
  const h = 20 / rows.length;
  return (
    <svg className="layout-glyph" viewBox="0 0 30 20" width="30" height="20" aria-hidden="true">
      {rows.flatMap((count, r) =>
        Array.from({ length: count }, (_, c) => (
          <rect
            // biome-ignore lint/suspicious/noArrayIndexKey: fixed drawing, positions are the identity.
            key={`${r}-${c}`}
            x={(c * 30) / count + 1}
            y={r * h + 1}
            width={30 / count - 2}
            height={h - 2}
            rx="1"
          />
        )),
      )}
    </svg>
  );
}

function glyphRows(panels: number, arrangement: 'strip' | 'grid'): number[] {
  if (arrangement === 'strip') return panels <= 3 ? [panels] : panels === 4 ? [4] : [3, 3];
  if (panels === 1) return [1];
  if (panels === 2) return [1, 1];
  if (panels === 3) return [2, 1];
  if (panels === 4) return [2, 2];
  return [2, 2, 2];
}
