import type { ReactElement } from 'react';
import type { Photo } from '../../../../shared/model';
import { mediaUrl } from '../../api/client';
import { formatCount } from '../../format';

/** Query photos shown as thumbnails; the rest are counted ("+ 40 more"). */
const SHOWN = 12;

/** The photo(s) the results should look like, at the top of the view. */
export function SimilarQueryStrip({ photos, pending }: { photos: Photo[]; pending: number }): ReactElement {
  const several = photos.length > 1 || pending > 1;
  return (
    <div className="similar-query" data-testid="similar-query" data-count={photos.length}>
      <ul
        className="similar-query-photos"
        aria-label={several ? 'Photos searched for' : 'Photo searched for'}
      >
        {photos.length === 0
          ? Array.from({ length: Math.min(pending, 8) }, (_, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have nothing else to key on.
              <li key={i} className="similar-query-photo tile-loading" />
            ))
          : photos.slice(0, SHOWN).map((photo) => (
              <li key={photo.id} className="similar-query-photo" data-photo-id={photo.id} title={photo.path}>
                {photo.thumb ? (
                  <img src={mediaUrl(photo.thumb)} alt={photo.name} decoding="async" draggable={false} />
                ) : (
                  <span className="tile-placeholder" aria-hidden="true" />
                )}
              </li>
            ))}
        {photos.length > SHOWN && (
          <li className="similar-query-more muted">+ {formatCount(photos.length - SHOWN)} more</li>
        )}
      </ul>
      <div className="similar-query-text">
        <h2>
          {several ? `More like these ${formatCount(photos.length || pending)}` : 'Photos like this one'}
        </h2>
        {photos.length === 1 && <p className="path">{photos[0]!.path}</p>}
      </div>
    </div>
  );
}
