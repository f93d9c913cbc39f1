import { type ReactElement, useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import type { PhotoDetail } from '../../../../shared/model';
import { api, mediaUrl } from '../../api/client';
import { CloseIcon, NextIcon, PrevIcon } from '../../components/icons';
import { formatBytes } from '../../format';
import { useInertBackground } from '../../hooks/use-inert-background';
import type { PhotoPages } from './photo-pages';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'long', timeStyle: 'short' });

/**
 * One photo, large. Left/Right walk the gallery order across pages, Escape closes. The
 * thumbnail shows at once, the preview (or the original while no preview exists) replaces it
 * when decoded, and the neighbours' previews are warmed so stepping through feels instant.
 */
export function Lightbox({
  pages,
  total,
  index,
  onIndexChange,
  onClose,
}: {
  pages: PhotoPages;
  total: number;
  index: number;
  onIndexChange(index: number): void;
  onClose(lastIndex: number): void;
}): ReactElement {
  const ref = useRef<HTMLDivElement>(null);
  useInertBackground();
  const photo = pages.get(index);
  const [detail, setDetail] = useState<PhotoDetail | null>(null);
  const [loadedSrc, setLoadedSrc] = useState<string | null>(null);

  useEffect(() => {
    void pages.ensure(index - 1, Math.min(total - 1, index + 1));
  }, [pages, index, total]);

  const photoId = photo?.id;
  useEffect(() => {
    setDetail(null);
    if (photoId === undefined) return;
    let current = true;
    api['photos:get']({ id: photoId })
      .then((d) => {
        if (current) setDetail(d);
      })
      .catch(() => {
        // Details are a bonus; the photo itself is already on screen.
      });
    return () => {
      current = false;
    };
  }, [photoId]);

  // Warm the neighbours.
  useEffect(() => {
    for (const neighbour of [pages.get(index + 1), pages.get(index - 1)]) {
      const path = neighbour?.preview ?? neighbour?.original;
      if (path) new Image().src = mediaUrl(path);
    }
  });

  const latest = useRef({ index, total, onIndexChange, onClose });
  latest.current = { index, total, onIndexChange, onClose };
  useEffect(() => {
    ref.current?.focus();
    const onKeyDown = (event: KeyboardEvent) => {
      const { index: i, total: n, onIndexChange: go, onClose: close } = latest.current;
      if (event.key === 'Escape') close(i);
      else if (event.key === 'ArrowLeft' && i > 0) go(i - 1);
      else if (event.key === 'ArrowRight' && i < n - 1) go(i + 1);
      else if (event.key === 'Home') go(0);
      else if (event.key === 'End') go(n - 1);
      else return;
      event.preventDefault();
      event.stopPropagation();
    };
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, []);

  const large = photo ? mediaUrl(photo.preview ?? photo.original) : null;
  const thumb = photo?.thumb ? mediaUrl(photo.thumb) : null;
  const camera = detail?.camera ?? null;
  return createPortal(
    <div
      ref={ref}
      className="lightbox"
      data-testid="lightbox"
      data-photo-id={photo?.id}
      role="dialog"
      aria-modal="true"
      aria-label={photo ? photo.name : 'Photo'}
      tabIndex={-1}
    >
      {/* biome-ignore lint/a11y: clicking the dark area around the photo closes, like Escape (the keyboard way). */}
      <div
        className="lightbox-stage"
        onClick={(event) => {
          if (event.target === event.currentTarget) onClose(index);
        }}
      >
        {thumb && loadedSrc !== large && <img className="lightbox-image lightbox-thumb" src={thumb} alt="" />}
        {large && (
          <img
            key={large}
            className={loadedSrc === large ? 'lightbox-image is-loaded' : 'lightbox-image'}
            src={large}
            alt={photo?.name ?? ''}
            decoding="async"
            onLoad={() => setLoadedSrc(large)}
          />
        )}
        {!photo && <div className="lightbox-loading">Loading…</div>}
        <button
          type="button"
          className="lightbox-nav lightbox-prev"
          aria-label="Previous photo"
          disabled={index <= 0}
          onClick={() => onIndexChange(index - 1)}
        >
          <PrevIcon />
        </button>
        <button
          type="button"
          className="lightbox-nav lightbox-next"
          aria-label="Next photo"
          disabled={index >= total - 1}
          onClick={() => onIndexChange(index + 1)}
        >
          <NextIcon />
        </button>
      </div>
      <aside className="lightbox-info">
        <button
          type="button"
          className="lightbox-close"
          aria-label="Close (Escape)"
          onClick={() => onClose(index)}
        >
          <CloseIcon />
        </button>
        {photo && (
          <>
            <h2 className="lightbox-name" data-testid="lightbox-name">
              {photo.name}
            </h2>
            <dl className="facts">
              <dt>Date</dt>
              <dd>
                {dateFormat.format(photo.date)}
                {photo.takenAt === null && <span className="muted"> (file date)</span>}
              </dd>
              <dt>Size</dt>
              <dd>
                {formatBytes(photo.size)}
                {photo.width && photo.height ? ` · ${photo.width} × ${photo.height}` : ''}
              </dd>
              {camera && (
                <>
                  <dt>Camera</dt>
                  <dd>{camera}</dd>
                </>
              )}
              {detail?.lens && (
                <>
                  <dt>Lens</dt>
                  <dd>{detail.lens}</dd>
                </>
              )}
              <dt>File</dt>
              <dd className="path">{photo.path}</dd>
              {detail && detail.copies.length > 0 && (
                <>
                  <dt>Also at</dt>
                  {detail.copies.map((copy) => (
                    <dd key={copy.id} className="path">
                      {copy.path}
                    </dd>
                  ))}
                </>
              )}
            </dl>
            <p className="muted lightbox-position">
              {index + 1} of {total}
            </p>
          </>
        )}
      </aside>
    </div>,
    document.body,
  );
}
