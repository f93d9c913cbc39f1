import { type ReactElement, useCallback, useEffect, useState } from 'react';
import type { FailedJob } from '../../../../shared/model';
import { api } from '../../api/client';
import { useApp } from '../../app-context';
import { formatCount } from '../../format';
import { useReconnect } from '../../hooks/use-event';

/**
 * Work that stayed failed after its retries (or was set aside because the app stopped under
 * it three times), with the reason and one Retry for all of it. Reloaded when the job counts
 * change, so it empties as retried work succeeds.
 */
export function FailedWork(): ReactElement | null {
  const { status, refreshStatus } = useApp();
  const [items, setItems] = useState<FailedJob[]>([]);
  const [error, setError] = useState<string | null>(null);
  const failed = Object.values(status?.jobs ?? {}).reduce((n, c) => n + c.failed, 0);

  const load = useCallback(() => {
    api['jobs:failed']({ limit: 100 })
      .then((r) => {
        setItems(r.items);
        setError(null);
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload whenever the failed count moves
  useEffect(load, [load, failed]);
  useReconnect(load);

  if (failed === 0 && items.length === 0 && !error) return null;
  const retry = async () => {
    try {
      await api['jobs:retry']({});
      refreshStatus();
      load();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <section className="card" aria-labelledby="failed-title" data-testid="failed-work">
      <h2 id="failed-title">
        Could not finish <span className="muted">({formatCount(failed)})</span>
      </h2>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <p className="muted">
        Komorebi tried these several times. Fix what the reason says (free some space, reconnect a drive),
        then retry.
      </p>
      <button type="button" className="button" data-testid="retry-failed" onClick={() => void retry()}>
        Retry
      </button>
      <ul className="problem-list">
        {items.map((job) => (
          <li key={`${job.kind}:${job.what}`}>
            <span className="path">{job.what}</span> <span className="muted">{job.reason}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
