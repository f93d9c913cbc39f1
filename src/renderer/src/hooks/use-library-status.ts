import { useCallback, useEffect, useState } from 'react';
import type { LibraryStatus } from '../../../shared/model';
import { api } from '../api/client';
import { errorMessage } from '../api/errors';
import { useEvent, useReconnect } from './use-event';
import { useThrottledEvent } from './use-throttled-event';

/** Library status: fetched once, then kept current by `library:status`, `jobs:progress` and changes. */
export function useLibraryStatus(): {
  status: LibraryStatus | null;
  error: string | null;
  refresh: () => void;
} {
  const [status, setStatus] = useState<LibraryStatus | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(() => {
    api['library:status']({})
      .then((next) => {
        setStatus(next);
        setError(null);
      })
      .catch((e: unknown) => setError(errorMessage(e)));
  }, []);

  useEffect(refresh, [refresh]);
  useEvent('library:status', (next) => setStatus(next));
  // Photo counts move while folders are scanned; the core may not push a status for each.
  useThrottledEvent('library:changed', refresh, 2000);
  useReconnect(refresh);
  useEvent('jobs:progress', ({ paused, progress }) =>
    setStatus((current) => (current ? { ...current, paused, progress } : current)),
  );
  useEvent('folders:changed', ({ folders }) =>
    setStatus((current) =>
      current
        ? {
            ...current,
            folders: folders.length,
            offlineFolders: folders
              .filter((f) => f.status === 'offline')
              .map((f) => ({ id: f.id, path: f.path })),
          }
        : current,
    ),
  );
  return { status, error, refresh };
}
