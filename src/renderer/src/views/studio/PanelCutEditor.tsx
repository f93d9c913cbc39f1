import { type PointerEvent, type ReactElement, useRef, useState } from 'react';
import type { PanelCut } from '../../../../shared/model';
import { mediaUrl } from '../../api/client';
import { type Edge, edgePosition, moveEdge, type Rect, setField, toPagePoint } from './cut-math';

const EDGES: Edge[] = ['left', 'right', 'top', 'bottom'];
const FIELDS: { key: keyof Rect; label: string }[] = [
  { key: 'x', label: 'Left' },
  { key: 'y', label: 'Top' },
  { key: 'width', label: 'Width' },
  { key: 'height', label: 'Height' },
];

/**
 * Where each panel will be cut, drawn over the page. Drag a panel's edge to move it, or type
 * exact pixels; "Reset" returns to what Komorebi detected.
 */
export function PanelCutEditor({
  image,
  cut,
  rects,
  onChange,
}: {
  image: string;
  cut: PanelCut;
  rects: Rect[];
  onChange(rects: Rect[]): void;
}): ReactElement {
  const svgRef = useRef<SVGSVGElement>(null);
  const [drag, setDrag] = useState<{ index: number; edge: Edge } | null>(null);
  const [active, setActive] = useState(0);
  const page = { width: cut.width, height: cut.height };
  const handle = Math.max(page.width, page.height) / 60;

  const update = (index: number, rect: Rect) => onChange(rects.map((r, i) => (i === index ? rect : r)));

  const onPointerMove = (event: PointerEvent<SVGSVGElement>) => {
    if (!drag || !svgRef.current) return;
    const point = toPagePoint(
      { x: event.clientX, y: event.clientY },
      svgRef.current.getBoundingClientRect(),
      page,
    );
    const value = drag.edge === 'left' || drag.edge === 'right' ? point.x : point.y;
    update(drag.index, moveEdge(rects[drag.index]!, drag.edge, value, page));
  };

  const current = rects[active];
  return (
    <div className="cut-editor">
      <div
        className="cut-stage"
        style={{
          aspectRatio: `${page.width} / ${page.height}`,
          width: `min(100%, calc(52vh * ${page.width / page.height}))`,
        }}
      >
        <img className="cut-img" src={mediaUrl(image)} alt="The page to cut into panels" draggable={false} />
        <svg
          ref={svgRef}
          className="cut-overlay"
          viewBox={`0 0 ${page.width} ${page.height}`}
          preserveAspectRatio="none"
          onPointerMove={onPointerMove}
          onPointerUp={() => setDrag(null)}
          onPointerLeave={() => setDrag(null)}
          data-testid="export-cut-overlay"
        >
          <title>Panel outlines: drag an edge to move it</title>
          {rects.map((r, i) => (
            <g
              // biome-ignore lint/suspicious/noArrayIndexKey: panels are identified by their position.
              key={i}
              className={i === active ? 'cut-rect is-active' : 'cut-rect'}
              onPointerDown={() => setActive(i)}
            >
              <rect x={r.x} y={r.y} width={r.width} height={r.height} />
              <text x={r.x + handle} y={r.y + handle * 2.2} fontSize={handle * 2}>
                {i + 1}
              </text>
              {EDGES.map((edge) => {
                const at = edgePosition(r, edge);
                const vertical = edge === 'left' || edge === 'right';
                return (
                  <line
                    key={edge}
                    className={vertical ? 'cut-edge cut-edge-v' : 'cut-edge cut-edge-h'}
                    x1={vertical ? at : r.x}
                    x2={vertical ? at : r.x + r.width}
                    y1={vertical ? r.y : at}
                    y2={vertical ? r.y + r.height : at}
                    strokeWidth={handle}
                    onPointerDown={(event) => {
                      event.preventDefault();
                      (event.target as Element).setPointerCapture?.(event.pointerId);
                      setActive(i);
                      setDrag({ index: i, edge });
                    }}
                  />
                );
              })}
            </g>
          ))}
        </svg>
      </div>
      <div className="cut-fields">
        <div className="chip-row" role="tablist" aria-label="Panel">
          {rects.map((_, i) => (
            <button
              // biome-ignore lint/suspicious/noArrayIndexKey: panels are identified by their position.
              key={i}
              type="button"
              role="tab"
              aria-selected={i === active}
              className={i === active ? 'chip is-on' : 'chip'}
              onClick={() => setActive(i)}
            >
              Panel {i + 1}
            </button>
          ))}
        </div>
        {current && (
          <div className="cut-numbers">
            {FIELDS.map(({ key, label }) => (
              <label key={key} className="cut-number">
                <span className="field-label">{label}</span>
                <input
                  type="number"
                  className="text-input"
                  data-testid={`export-cut-${key}`}
                  min={0}
                  max={key === 'x' || key === 'width' ? page.width : page.height}
                  value={current[key]}
                  onChange={(event) =>
                    update(active, setField(current, key, Number(event.target.value), page))
                  }
                />
              </label>
            ))}
          </div>
        )}
        <p className="muted small">
          {cut.method === 'gutters'
            ? `Found ${cut.rects.length} panels along the gutters of the page.`
            : `Cut by the layout that was asked for${cut.reason ? `: ${cut.reason}` : '.'}`}{' '}
          Sizes in pixels of the {page.width} × {page.height} page.
        </p>
      </div>
    </div>
  );
}
