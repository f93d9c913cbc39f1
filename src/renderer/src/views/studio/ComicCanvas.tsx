import type { ReactElement } from 'react';
import type { ComicVersion } from '../../../../shared/model';
import { mediaUrl } from '../../api/client';
import { formatElapsed, type LiveProgress, retrySecondsLeft } from './live-progress';

/**
 * The page area: the drawing as it arrives (partial images, elapsed time, retry countdown),
 * then the chosen version's page, its failure message, or two versions side by side.
 */
export function ComicCanvas({
  versions,
  numbers,
  live,
  drawingIds,
  selected,
  compare,
  now,
  onCloseCompare,
  onFix,
}: {
  versions: readonly ComicVersion[];
  numbers: ReadonlyMap<number, number>;
  live: LiveProgress;
  drawingIds: readonly number[];
  selected: ComicVersion | null;
  compare: readonly [number, number] | null;
  now: number;
  onCloseCompare(): void;
  /** A failure the user can fix with one click (a model that is gone): switch the model. */
  onFix(fix: NonNullable<ComicVersion['fix']>): void;
}): ReactElement {
  if (compare) {
    const pair = compare.map((id) => versions.find((v) => v.id === id)).filter((v) => v !== undefined);
    return (
      <div className="canvas canvas-compare" data-testid="studio-compare-view">
        {pair.map((v) => (
          <figure key={v.id} className="compare-side">
            {v.image && (
              <img className="compare-img" src={mediaUrl(v.image)} alt={`Version ${numbers.get(v.id)}`} />
            )}
            <figcaption>
              <strong>v{numbers.get(v.id)}</strong> <span className="muted">{v.prompt}</span>
            </figcaption>
          </figure>
        ))}
        <button type="button" className="button canvas-close" onClick={onCloseCompare}>
          Close comparison
        </button>
      </div>
    );
  }

  if (drawingIds.length > 0) {
    return (
      <div className={drawingIds.length > 1 ? 'canvas canvas-drawing canvas-many' : 'canvas canvas-drawing'}>
        {drawingIds.map((id) => {
          const state = live.get(id);
          const retry = state ? retrySecondsLeft(state, now) : null;
          // Reopened while drawing: no event yet, so count from when the version was created.
          const startedAt = state?.startedAt ?? versions.find((v) => v.id === id)?.createdAt ?? now;
          const elapsed = now - startedAt;
          return (
            <figure key={id} className="drawing" aria-live="polite">
              {state?.partial ? (
                <img
                  className="drawing-partial"
                  data-testid="studio-partial"
                  src={mediaUrl(state.partial)}
                  alt={`Version ${numbers.get(id)} so far`}
                />
              ) : (
                <div className="drawing-wait">
                  <span className="spinner" aria-hidden="true" />
                  <span>Sending the photos and the prompt…</span>
                </div>
              )}
              <figcaption className="drawing-status" data-testid="studio-drawing-status">
                <span>Drawing v{numbers.get(id)}</span>
                <span className="elapsed" data-testid="studio-elapsed">
                  {formatElapsed(elapsed)}
                </span>
                {retry !== null && (
                  <span className="retry" data-testid="studio-retry">
                    Retrying in {retry} s
                  </span>
                )}
              </figcaption>
            </figure>
          );
        })}
      </div>
    );
  }

  if (!selected) {
    return (
      <div className="canvas canvas-empty">
        <p className="muted">
          Describe the comic on the left, then press <strong>Generate</strong>. The page appears here as it is
          drawn.
        </p>
      </div>
    );
  }

  if (selected.state === 'done' && selected.image) {
    return (
      <div className="canvas">
        <img
          className="page-image"
          data-testid="studio-page"
          data-version-id={selected.id}
          src={mediaUrl(selected.image)}
          alt={`Version ${numbers.get(selected.id)}: ${selected.prompt}`}
        />
      </div>
    );
  }

  return (
    <div className="canvas canvas-empty">
      <div className="canvas-problem" role="alert" data-testid="studio-error">
        <strong>{selected.state === 'cancelled' ? 'Cancelled' : 'This version was not drawn'}</strong>
        <p>{selected.error ?? 'The drawing was stopped before a page arrived.'}</p>
        {selected.fix && (
          <button
            type="button"
            className="button button-primary"
            data-testid="studio-fix"
            onClick={() => onFix(selected.fix!)}
          >
            Use {selected.fix.to} instead of {selected.fix.from}
          </button>
        )}
        <p className="muted small">
          Your prompt, photos and earlier versions are kept: change what is needed and generate again.
        </p>
      </div>
    </div>
  );
}
