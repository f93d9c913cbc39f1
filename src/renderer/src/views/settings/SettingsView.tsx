import { type ReactElement, useCallback, useEffect, useState } from 'react';
import type { WatchedFolder } from '../../../../shared/model';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { useApp } from '../../app-context';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { formatCount } from '../../format';
import { useEvent, useReconnect } from '../../hooks/use-event';
import { useThrottledEvent } from '../../hooks/use-throttled-event';
import { AddFolder } from './AddFolder';
import { FolderRow } from './FolderRow';
import { ModelSettings } from './ModelSettings';
import { StudioSettings } from './StudioSettings';
import { VectorStoreSettings } from './VectorStoreSettings';

export function SettingsView(): ReactElement {
  const { info } = useApp();
  const [folders, setFolders] = useState<WatchedFolder[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<number | null>(null);
  const [confirmRemove, setConfirmRemove] = useState<WatchedFolder | null>(null);

  const load = useCallback(() => {
    api['folders:list']({})
      .then((list) => {
        setFolders(list);
        setError(null);
      })
      .catch((e: unknown) => setError(errorMessage(e)));
  }, []);
  useEffect(load, [load]);
  useEvent('folders:changed', ({ folders: next }) => setFolders(next));
  // Photo counts grow while a folder is scanned.
  useThrottledEvent('library:changed', load, 2000);
  useReconnect(load);

  const run = async (folder: WatchedFolder, action: () => Promise<unknown>) => {
    setBusyId(folder.id);
    setError(null);
    try {
      await action();
      load();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusyId(null);
    }
  };

  const remove = (folder: WatchedFolder) => {
    setConfirmRemove(null);
    void run(folder, () => api['folders:remove']({ id: folder.id }));
  };
  const cancelRemove = useCallback(() => setConfirmRemove(null), []);

  return (
    <div className="page" data-testid="settings">
      <header className="view-header">
        <div className="view-title">
          <h1>Settings</h1>
        </div>
      </header>
      <div className="page-body">
        <section className="card" aria-labelledby="folders-title">
          <h2 id="folders-title">Watched folders</h2>
          <p className="muted">
            Komorebi shows the photos in these folders and follows changes as they happen. It only reads your
            files; it never moves, changes or deletes them.
          </p>
          {error && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
          {folders === null ? (
            <p className="muted">Loading folders…</p>
          ) : folders.length === 0 ? (
            <p className="empty-inline">No folders yet. Add the folder where you keep your photos.</p>
          ) : (
            <ul className="row-list">
              {folders.map((folder) => (
                <FolderRow
                  key={folder.id}
                  folder={folder}
                  busy={busyId === folder.id}
                  onRescan={() => void run(folder, () => api['folders:rescan']({ id: folder.id }))}
                  onRemove={() => setConfirmRemove(folder)}
                />
              ))}
            </ul>
          )}
          <AddFolder canPick={info?.canPickFolders ?? false} onAdded={load} />
        </section>
        <ModelSettings />
        <VectorStoreSettings />
        <StudioSettings />
        <section className="card" aria-labelledby="data-title">
          <h2 id="data-title">Library data</h2>
          <p className="muted">Thumbnails, the photo index and settings are stored here:</p>
          <p className="path" data-testid="data-dir">
            {info?.dataDir ?? '…'}
          </p>
          {info && (
            <p className="muted small">
              Komorebi {info.version} · {info.shell === 'browser' ? 'browser mode' : info.shell}
            </p>
          )}
        </section>
      </div>
      {confirmRemove && (
        <ConfirmDialog
          title="Stop watching this folder?"
          confirmLabel="Remove folder"
          danger
          onConfirm={() => remove(confirmRemove)}
          onCancel={cancelRemove}
        >
          <p className="path">{confirmRemove.path}</p>
          <p>
            Komorebi will forget the {formatCount(confirmRemove.photoCount)}{' '}
            {confirmRemove.photoCount === 1 ? 'photo' : 'photos'} it found here. The files themselves are
            never touched: nothing is moved or deleted on disk. You can add the folder again at any time.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
