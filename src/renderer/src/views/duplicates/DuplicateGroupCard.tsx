import type { ReactElement } from 'react';
import type { DuplicateGroup } from '../../../../shared/model';
import { mediaUrl } from '../../api/client';
import { formatBytes } from '../../format';
import { formatScore } from '../similar/similar-search';
import { groupTitle, isMarked, type MarkChoices } from './duplicate-marks';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** One group side by side: each copy with what helps choose (size, resolution, date, place). */
export function DuplicateGroupCard({
  group,
  choices,
  onMark,
  onOpen,
}: {
  group: DuplicateGroup;
  choices: MarkChoices;
  onMark(photoId: number, marked: boolean): void;
  /** Look at a copy large (index in group.photos). */
  onOpen(group: DuplicateGroup, index: number): void;
}): ReactElement {
  return (
    <section
      className={`card duplicate-group duplicate-${group.kind}`}
      data-testid="duplicate-group"
      data-kind={group.kind}
      aria-label={groupTitle(group)}
    >
      <h2 className="duplicate-title">
        {groupTitle(group)}
        <span className="muted small">
          {group.kind === 'exact'
            ? ' · identical content'
            : ` · ${group.photos.length} photos that look the same (resized, re-saved or edited)`}
        </span>
      </h2>
      <ul className="duplicate-photos">
        {group.photos.map((photo, index) => {
          const keep = photo.id === group.keepId;
          const marked = isMarked(group, photo.id, choices);
          return (
            <li
              key={photo.id}
              className={marked ? 'duplicate-photo is-marked' : 'duplicate-photo'}
              data-testid="duplicate-photo"
              data-photo-id={photo.id}
              data-keep={keep || undefined}
            >
              <div className="duplicate-thumb">
                <button
                  type="button"
                  className="duplicate-open"
                  aria-label={`Open ${photo.name} large`}
                  onClick={() => onOpen(group, index)}
                >
                  {photo.thumb ? (
                    <img src={mediaUrl(photo.thumb)} alt="" loading="lazy" decoding="async" />
                  ) : (
                    <span className="tile-placeholder" aria-hidden="true" />
                  )}
                </button>
                {keep && (
                  <span
                    className="duplicate-keep"
                    title="Suggested copy to keep: largest resolution, then largest file, then oldest"
                  >
                    Keep
                  </span>
                )}
              </div>
              <label className="duplicate-check">
                <input
                  type="checkbox"
                  checked={marked}
                  data-testid="duplicate-mark"
                  onChange={(event) => onMark(photo.id, event.target.checked)}
                />
                <span>Move to Trash</span>
              </label>
              <dl className="duplicate-facts">
                <dt>Size</dt>
                <dd>{formatBytes(photo.size)}</dd>
                <dt>Resolution</dt>
                <dd>{photo.width && photo.height ? `${photo.width} × ${photo.height}` : 'unknown'}</dd>
                <dt>Date</dt>
                <dd>{dateFormat.format(photo.date)}</dd>
                {group.kind === 'near' && !keep && (
                  <>
                    <dt>Similarity</dt>
                    <dd>{formatScore(photo.score)}</dd>
                  </>
                )}
              </dl>
              <p className="path duplicate-path" title={photo.path}>
                {photo.path}
              </p>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
