import type { ReactElement } from 'react';
import { FolderIcon } from '../../components/icons';

/** No photos yet: say why and what to do next. */
export function GalleryEmpty({
  folders,
  onAddFolder,
}: {
  folders: number;
  onAddFolder(): void;
}): ReactElement {
  if (folders > 0) {
    return (
      <div className="empty-state" data-testid="gallery-empty">
        <FolderIcon />
        <h2>Looking for photos…</h2>
        <p>Komorebi is reading your folders. Photos appear here as they are found.</p>
        <p className="muted">
          No photos yet? Check the folder in Settings, or see Activity for files that could not be read.
        </p>
      </div>
    );
  }
  return (
    <div className="empty-state" data-testid="gallery-empty">
      <FolderIcon />
      <h2>No photos yet</h2>
      <p>
        Add a folder in Settings and Komorebi will show every photo in it, newest first. Your files stay where
        they are.
      </p>
      <button type="button" className="button button-primary" onClick={onAddFolder}>
        Add a folder in Settings
      </button>
    </div>
  );
}
