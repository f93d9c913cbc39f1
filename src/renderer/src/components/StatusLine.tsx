import type { ReactElement } from 'react';
import { useApp } from '../app-context';
import { formatCount } from '../format';
import { ProgressBar } from './ProgressBar';

/** Bottom line: how many photos, and what the library is working on (click: Activity). */
export function StatusLine(): ReactElement {
  const { status, navigate } = useApp();
  const active = (status?.progress ?? []).filter((p) => p.total > 0 && p.done < p.total);
  const done = active.reduce((sum, p) => sum + p.done, 0);
  const total = active.reduce((sum, p) => sum + p.total, 0);
  const offline = status?.offlineFolders.length ?? 0;
  return (
    <footer className="status-line" data-testid="status-line">
      <span data-testid="photo-count">
        {status ? `${formatCount(status.files)} ${status.files === 1 ? 'photo' : 'photos'}` : 'Connecting…'}
      </span>
      {offline > 0 && (
        <span className="status-warn">
          {offline} {offline === 1 ? 'folder' : 'folders'} offline
        </span>
      )}
      {status?.storageError && (
        <span className="status-warn" title={status.storageError}>
          Cannot save:{' '}
          {/full/i.test(status.storageError) ? 'the disk is full' : 'the library cannot be written'}
        </span>
      )}
      <span className="status-spacer" />
      {status?.paused && <span className="status-paused">Paused</span>}
      {active.length > 0 && (
        <button type="button" className="status-progress" onClick={() => navigate('activity')}>
          <span>
            {active[0]!.label}
            {active.length > 1 ? ` +${active.length - 1}` : ''} · {formatCount(done)} / {formatCount(total)}
          </span>
          <ProgressBar done={done} total={total} label="Library work in progress" compact />
        </button>
      )}
    </footer>
  );
}
