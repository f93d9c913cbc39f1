import { type ReactElement, useCallback, useEffect, useState } from 'react';
import { limits } from '../../../../shared/limits';
import type { ComicSessionSummary } from '../../../../shared/model';
import { api, mediaUrl } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { useApp } from '../../app-context';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useEvent, useReconnect } from '../../hooks/use-event';
import { InlineTitle } from './InlineTitle';
import { makeComicShortcut } from './make-comic';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Every comic, newest first: open, rename in place, delete after a confirmation. */
export function SessionList({
  creating,
  error: outerError,
  onOpen,
}: {
  creating: boolean;
  error: string | null;
  onOpen(id: number): void;
}): ReactElement {
  const { navigate } = useApp();
  const [sessions, setSessions] = useState<ComicSessionSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<ComicSessionSummary | null>(null);

  const load = useCallback(() => {
    api['studio:sessions']({})
      .then((list) => {
        setSessions([...list].sort((a, b) => b.updatedAt - a.updatedAt));
        setError(null);
      })
      .catch((e: unknown) => setError(errorMessage(e)));
  }, []);
  useEffect(load, [load]);
  useReconnect(load);
  // A drawing that finishes while the list is open brings a new cover and version count.
  useEvent('studio:progress', (event) => {
    if (event.state !== 'generating') load();
  });

  const act = async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(errorMessage(e));
    }
    load();
  };
  const cancelDelete = useCallback(() => setConfirmDelete(null), []);
  const shownError = outerError ?? error;

  return (
    <div className="page studio-list" data-testid="studio-view">
      <header className="view-header">
        <div className="view-title">
          <h1>Comic Studio</h1>
          {sessions && (
            <span className="muted">{sessions.length === 1 ? '1 comic' : `${sessions.length} comics`}</span>
          )}
        </div>
      </header>
      {shownError && (
        <div className="banner banner-error" role="alert" data-testid="studio-error">
          {shownError}
        </div>
      )}
      {creating && <div className="banner">Starting a new comic…</div>}
      <div className="studio-list-body">
        {sessions === null ? (
          <p className="muted">Loading comics…</p>
        ) : sessions.length === 0 ? (
          <div className="empty-state">
            <h2>No comics yet</h2>
            <p className="muted">
              Select up to {limits.comicPhotos} photos in the Gallery, then choose <strong>Make comic</strong>{' '}
              ({makeComicShortcut()}
              ). Komorebi draws a comic page from them with OpenAI, and you refine it in your own words.
            </p>
            <button type="button" className="button button-primary" onClick={() => navigate('gallery')}>
              Go to the Gallery
            </button>
          </div>
        ) : (
          <ul className="session-grid">
            {sessions.map((s) => (
              <li key={s.id} className="session-card" data-testid="studio-session" data-session-id={s.id}>
                <button
                  type="button"
                  className="session-cover"
                  onClick={() => onOpen(s.id)}
                  aria-label={`Open ${s.title}`}
                >
                  {s.cover ? (
                    <img
                      className="session-cover-img"
                      src={mediaUrl(s.cover)}
                      alt=""
                      loading="lazy"
                      draggable={false}
                    />
                  ) : (
                    <span className="session-cover-empty">Not drawn yet</span>
                  )}
                </button>
                <div className="session-meta">
                  <InlineTitle
                    title={s.title}
                    onRename={(title) => act(() => api['studio:rename']({ id: s.id, title }))}
                  />
                  <span className="muted small">
                    {s.versions === 1 ? '1 version' : `${s.versions} versions`} ·{' '}
                    {dateFormat.format(s.updatedAt)}
                  </span>
                </div>
                <div className="session-actions">
                  <button type="button" className="button" onClick={() => onOpen(s.id)}>
                    Open
                  </button>
                  <button type="button" className="button button-quiet" onClick={() => setConfirmDelete(s)}>
                    Delete
                  </button>
                </div>
              </li>
            ))}
          </ul>
        )}
      </div>
      {confirmDelete && (
        <ConfirmDialog
          title="Delete this comic?"
          confirmLabel="Delete comic"
          danger
          onCancel={cancelDelete}
          onConfirm={() => {
            const target = confirmDelete;
            setConfirmDelete(null);
            void act(() => api['studio:delete']({ id: target.id }));
          }}
        >
          <p>
            “{confirmDelete.title}” and its{' '}
            {confirmDelete.versions === 1 ? 'version' : `${confirmDelete.versions} versions`} will be removed
            from Komorebi. Your photos are not touched, and files you exported stay where you saved them.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
