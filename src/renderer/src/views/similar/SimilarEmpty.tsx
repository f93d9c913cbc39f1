import type { ReactElement } from 'react';
import { SimilarIcon } from './SimilarIcon';

/** Opened from the sidebar before any search: say how to start one. */
export function SimilarEmpty({ onGallery }: { onGallery(): void }): ReactElement {
  return (
    <div className="similar" data-testid="similar-view">
      <div className="empty-state" data-testid="similar-start">
        <SimilarIcon />
        <h2>Find photos that look alike</h2>
        <p>
          In the gallery, right-click a photo and choose <strong>Find similar</strong> (or press S). Select
          several photos and choose <strong>More like these</strong> to search for all of them at once.
        </p>
        <button type="button" className="button button-primary" onClick={onGallery}>
          Go to the gallery
        </button>
      </div>
    </div>
  );
}
