import { memo, type ReactElement } from 'react';
import type { SimilarHit } from '../../../../shared/model';
import { mediaUrl } from '../../api/client';
import { formatScore, scorePercent } from './similar-search';

/** One result: the picture (click: look at it large), its score and "Similar to this one". */
export const SimilarHitTile = memo(function SimilarHitTile({
  hit,
  index,
  onOpen,
  onContinue,
}: {
  hit: SimilarHit;
  index: number;
  onOpen(index: number): void;
  onContinue(photoId: number): void;
}): ReactElement {
  const { photo, score } = hit;
  return (
    <li className="similar-hit" data-testid="similar-hit" data-photo-id={photo.id} data-score={score}>
      <button
        type="button"
        className="similar-hit-image"
        title={`${photo.name} (${scorePercent(score)} similar)`}
        aria-label={`${photo.name}, ${scorePercent(score)} similar. Open large`}
        onClick={() => onOpen(index)}
      >
        {photo.thumb ? (
          <img src={mediaUrl(photo.thumb)} alt="" loading="lazy" decoding="async" draggable={false} />
        ) : (
          <span className="tile-placeholder" aria-hidden="true" />
        )}
        <span className="similar-score" data-testid="similar-score">
          {formatScore(score)}
        </span>
      </button>
      <div className="similar-hit-foot">
        <span className="similar-hit-name" title={photo.path}>
          {photo.name}
        </span>
        <button
          type="button"
          className="button button-quiet similar-continue"
          data-testid="similar-continue"
          title="Search again, starting from this photo"
          onClick={() => onContinue(photo.id)}
        >
          Similar to this one
        </button>
      </div>
    </li>
  );
});
