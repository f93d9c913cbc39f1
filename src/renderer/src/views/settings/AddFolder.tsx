import { type FormEvent, type ReactElement, useState } from 'react';
import type { WatchedFolder } from '../../../../shared/model';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errors';

/**
 * Electron: the system folder picker. Browser mode (the server may be another machine): a
 * path typed as the server sees it. Either way the core's message shows inline on failure.
 */
export function AddFolder({
  canPick,
  onAdded,
}: {
  canPick: boolean;
  onAdded(folder: WatchedFolder): void;
}): ReactElement {
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const add = async (folderPath: string) => {
    setBusy(true);
    setError(null);
    try {
      const folder = await api['folders:add']({ path: folderPath });
      setPath('');
      onAdded(folder);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const pick = async () => {
    setError(null);
    try {
      const picked = await api['folders:pick']({});
      if (picked.path) await add(picked.path);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = path.trim();
    if (trimmed.length === 0) {
      setError('Type the full path of a folder with photos, for example /home/you/Pictures.');
      return;
    }
    void add(trimmed);
  };

  return (
    <div className="add-folder">
      {canPick ? (
        <button
          type="button"
          className="button button-primary"
          data-testid="folder-pick-button"
          disabled={busy}
          onClick={pick}
        >
          Choose folder…
        </button>
      ) : (
        <form className="add-folder-form" onSubmit={submit}>
          <label htmlFor="folder-path" className="field-label">
            Folder path on the computer running Komorebi
          </label>
          <div className="field-row">
            <input
              id="folder-path"
              className="text-input"
              data-testid="folder-path-input"
              type="text"
              placeholder="/home/you/Pictures"
              autoComplete="off"
              spellCheck={false}
              value={path}
              aria-invalid={error !== null}
              aria-describedby={error ? 'folder-error' : undefined}
              onChange={(event) => setPath(event.target.value)}
            />
            <button
              type="submit"
              className="button button-primary"
              data-testid="folder-add-button"
              disabled={busy}
            >
              {busy ? 'Adding…' : 'Add'}
            </button>
          </div>
        </form>
      )}
      {error && (
        <p id="folder-error" className="field-error" role="alert" data-testid="folder-error">
          {error}
        </p>
      )}
    </div>
  );
}
