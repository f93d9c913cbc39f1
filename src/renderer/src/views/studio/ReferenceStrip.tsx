import { type DragEvent, type ReactElement, useState } from 'react';
import type { ComicReference } from '../../../../shared/model';
import { mediaUrl } from '../../api/client';
import { CloseIcon, NextIcon, PrevIcon } from '../../components/icons';
import { includedCount, moveReference, removeReference, toggleReference } from './references';

/**
 * The photos the comic is drawn from, in the order they are sent. Click a photo to include
 * or exclude it; drag it (or use the arrows) to reorder; × removes it from this comic.
 */
export function ReferenceStrip({
  references,
  disabled,
  onChange,
}: {
  references: readonly ComicReference[];
  disabled: boolean;
  onChange(next: ComicReference[]): void;
}): ReactElement {
  const [dragFrom, setDragFrom] = useState<number | null>(null);
  const [dropAt, setDropAt] = useState<number | null>(null);
  const included = includedCount(references);

  const onDrop = (event: DragEvent, index: number) => {
    event.preventDefault();
    if (dragFrom !== null) onChange(moveReference(references, dragFrom, index));
    setDragFrom(null);
    setDropAt(null);
  };

  return (
    <section className="reference-strip" aria-label="Reference photos">
      <div className="reference-strip-head">
        <h2 className="section-title">Reference photos</h2>
        <span className="muted small">
          {included} of {references.length} included · click to include or exclude, drag to reorder
        </span>
      </div>
      {references.length === 0 ? (
        <p className="muted small">
          This comic has no reference photos left. Make a new comic from photos selected in the Gallery.
        </p>
      ) : (
        <ol className="reference-list">
          {references.map((ref, index) => {
            const name = ref.photo.name;
            const classes = ['reference'];
            if (!ref.included) classes.push('is-excluded');
            if (dropAt === index && dragFrom !== null && dragFrom !== index) classes.push('is-drop-target');
            return (
              <li
                key={ref.photo.id}
                className={classes.join(' ')}
                data-testid="studio-reference"
                data-photo-id={ref.photo.id}
                data-included={ref.included}
                draggable={!disabled}
                onDragStart={(event) => {
                  setDragFrom(index);
                  event.dataTransfer.effectAllowed = 'move';
                  event.dataTransfer.setData('text/plain', String(ref.photo.id));
                }}
                onDragOver={(event) => {
                  if (dragFrom === null) return;
                  event.preventDefault();
                  setDropAt(index);
                }}
                onDragEnd={() => {
                  setDragFrom(null);
                  setDropAt(null);
                }}
                onDrop={(event) => onDrop(event, index)}
              >
                <button
                  type="button"
                  className="reference-thumb"
                  aria-pressed={ref.included}
                  title={
                    ref.included
                      ? `${name}: included (click to exclude)`
                      : `${name}: excluded (click to include)`
                  }
                  disabled={disabled}
                  data-testid="studio-reference-toggle"
                  onClick={() => onChange(toggleReference(references, ref.photo.id))}
                >
                  {ref.photo.thumb ? (
                    <img
                      className="reference-img"
                      src={mediaUrl(ref.photo.thumb)}
                      alt={name}
                      draggable={false}
                    />
                  ) : (
                    <span className="reference-missing">{name}</span>
                  )}
                  <span className="reference-badge">{ref.included ? index + 1 : 'Off'}</span>
                </button>
                <div className="reference-tools">
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Move ${name} left`}
                    disabled={disabled || index === 0}
                    onClick={() => onChange(moveReference(references, index, index - 1))}
                  >
                    <PrevIcon />
                  </button>
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Remove ${name} from this comic`}
                    title="Remove from this comic"
                    disabled={disabled}
                    onClick={() => onChange(removeReference(references, ref.photo.id))}
                  >
                    <CloseIcon />
                  </button>
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Move ${name} right`}
                    disabled={disabled || index === references.length - 1}
                    onClick={() => onChange(moveReference(references, index, index + 1))}
                  >
                    <NextIcon />
                  </button>
                </div>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
