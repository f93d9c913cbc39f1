import { type ReactElement, useEffect, useState } from 'react';
import type { ComicVersion, PageRect, PanelCut } from '../../../../shared/model';
import { api, mediaUrl } from '../../api/client';
import { errorMessage } from '../../api/errors';

/**
 * Choosing the panel to redraw: the page with its panels outlined (as found for export); a
 * click picks one. Only that panel is sent to be redrawn, and only it changes.
 */
export function PanelPicker({
  version,
  number,
  chosen,
  onPick,
  onError,
}: {
  version: ComicVersion;
  number: number;
  chosen: number | null;
  onPick(rect: PageRect, panel: number): void;
  onError(message: string): void;
}): ReactElement {
  const [cut, setCut] = useState<PanelCut | null>(null);
  useEffect(() => {
    let live = true;
    api['studio:panels']({ versionId: version.id })
      .then((c) => live && setCut(c))
      .catch((e: unknown) => onError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [version.id, onError]);
  if (!cut || !version.image) return <p className="muted">Finding the panels of v{number}…</p>;
  return (
    <div
      className="panel-picker"
      style={{ aspectRatio: `${cut.width} / ${cut.height}`, height: '100%' }}
      data-testid="studio-panel-picker"
    >
      <img
        className="cut-img"
        src={mediaUrl(version.image)}
        alt={`Version ${number}: pick a panel`}
        draggable={false}
      />
      <svg className="cut-overlay" viewBox={`0 0 ${cut.width} ${cut.height}`} preserveAspectRatio="none">
        <title>Click the panel to redraw</title>
        {cut.rects.map((r, i) => (
          // biome-ignore lint/a11y/useSemanticElements: a shape over the page inside an SVG cannot be an HTML button.
          <g
            // biome-ignore lint/suspicious/noArrayIndexKey: panels are identified by their position.
            key={i}
            className={chosen === i + 1 ? 'panel-choice is-active' : 'panel-choice'}
            data-testid="studio-panel-choice"
            data-panel={i + 1}
            role="button"
            tabIndex={0}
            aria-label={`Redraw panel ${i + 1}`}
            onClick={() => onPick(r, i + 1)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' || event.key === ' ') onPick(r, i + 1);
            }}
          >
            <rect x={r.x} y={r.y} width={r.width} height={r.height} />
          </g>
        ))}
      </svg>
    </div>
  );
}
