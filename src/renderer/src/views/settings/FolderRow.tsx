import type { ReactElement } from 'react';
import type { WatchedFolder } from '../../../../shared/model';
import { formatCount } from '../../format';
import { folderStatusLabel, withCommands } from './folder-status';

export function FolderRow({
  folder,
  busy,
  onRescan,
  onRemove,
}: {
  folder: WatchedFolder;
  busy: boolean;
  onRescan(): void;
  onRemove(): void;
}): ReactElement {
  const { label, detail } = folderStatusLabel(folder);
  return (
    <li
      className="settings-row"
      data-testid="folder-row"
      data-folder-id={folder.id}
      data-status={folder.status}
    >
      <div className="settings-row-main">
        <span className="folder-path" title={folder.path}>
          {folder.path}
        </span>
        <span className="folder-meta">
          <span className={`status-badge status-${folder.status}`} data-testid="folder-status">
            {label}
          </span>
          <span className="muted" data-testid="folder-photo-count">
            {formatCount(folder.photoCount)} {folder.photoCount === 1 ? 'photo' : 'photos'}
          </span>
        </span>
        {detail && (
          <span className="folder-detail" data-testid="folder-detail">
            {withCommands(detail).map((part, i) =>
              part.command ? (
                // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed sentence
                <code key={i}>{part.text}</code>
              ) : (
                part.text
              ),
            )}
          </span>
        )}
      </div>
      <div className="folder-actions">
        <button
          type="button"
          className="button button-quiet"
          disabled={busy || folder.status === 'offline'}
          onClick={onRescan}
        >
          Rescan
        </button>
        <button
          type="button"
          className="button button-quiet"
          data-testid="folder-remove-button"
          disabled={busy}
          onClick={onRemove}
        >
          Remove
        </button>
      </div>
    </li>
  );
}
