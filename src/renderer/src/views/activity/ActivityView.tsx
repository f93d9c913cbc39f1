import { type ReactElement, useState } from 'react';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { useApp } from '../../app-context';
import { formatCount, formatTimeLeft } from '../../format';
import { FailedWork } from './FailedWork';
import { JobRow } from './JobRow';
import { ProblemList } from './ProblemList';
import { searchableEstimate } from './searchable';

export function ActivityView(): ReactElement {
  const { status, refreshStatus } = useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const setPaused = async (pause: boolean) => {
    setBusy(true);
    setError(null);
    try {
      await (pause ? api['jobs:pause']({}) : api['jobs:resume']({}));
      refreshStatus();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const progress = status?.progress ?? [];
  const paused = status?.paused ?? false;
  const searchable = searchableEstimate(progress, paused);
  const searchableIn = searchable && formatTimeLeft(searchable.secondsLeft);
  return (
    <div className="page" data-testid="activity">
      <header className="view-header">
        <div className="view-title">
          <h1>Activity</h1>
          {paused && <span className="status-badge status-offline">Paused</span>}
        </div>
        {status &&
          (paused ? (
            <button
              type="button"
              className="button button-primary"
              data-testid="resume-button"
              disabled={busy}
              onClick={() => void setPaused(false)}
            >
              Resume
            </button>
          ) : (
            <button
              type="button"
              className="button"
              data-testid="pause-button"
              disabled={busy}
              onClick={() => void setPaused(true)}
            >
              Pause
            </button>
          ))}
      </header>
      <div className="page-body">
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        {status?.storageError && (
          <p className="field-error" role="alert" data-testid="storage-error">
            {status.storageError}
          </p>
        )}
        <section className="card" aria-labelledby="jobs-title">
          <h2 id="jobs-title">Work in progress</h2>
          {searchable && (
            <p className="searchable-eta" data-testid="searchable-eta">
              {searchableIn
                ? `Whole library searchable: ${searchableIn}${searchable.more ? ' (still scanning)' : ''}`
                : 'Whole library searchable: estimating…'}
              <span className="muted">
                {' · '}
                {formatCount(searchable.photosLeft)}
                {searchable.more ? '+' : ''} {searchable.photosLeft === 1 ? 'photo' : 'photos'} to add or
                index
              </span>
            </p>
          )}
          {!status ? (
            <p className="muted">Loading…</p>
          ) : progress.length === 0 ? (
            <p className="empty-inline">
              {paused
                ? 'Paused. Resume to continue where Komorebi left off.'
                : 'All caught up: every photo is ready.'}
            </p>
          ) : (
            <ul className="row-list">
              {progress.map((p) => (
                <JobRow key={p.kind} progress={p} counts={status.jobs[p.kind]} paused={paused} />
              ))}
            </ul>
          )}
        </section>
        {status && status.offlineFolders.length > 0 && (
          <section className="card" aria-labelledby="offline-title">
            <h2 id="offline-title">Offline folders</h2>
            <p className="muted">
              These folders cannot be reached right now. Their photos are kept and come back when the drive
              does.
            </p>
            <ul className="row-list offline-list">
              {status.offlineFolders.map((folder) => (
                <li key={folder.id} className="path" data-testid="offline-folder">
                  {folder.path}
                </li>
              ))}
            </ul>
          </section>
        )}
        <FailedWork />
        <ProblemList />
      </div>
    </div>
  );
}
