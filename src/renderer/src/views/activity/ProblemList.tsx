import { type ReactElement, useCallback, useEffect, useRef, useState } from 'react';
import type { Problem } from '../../../../shared/model';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { formatCount } from '../../format';
import { useEvent, useReconnect } from '../../hooks/use-event';

const PAGE = 50;
const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Files and folders that need attention (unreadable, not watched live, past the depth limit), with the reason, a page at a time. */
export function ProblemList(): ReactElement {
  const [offset, setOffset] = useState(0);
  const [data, setData] = useState<{ total: number; items: Problem[] } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    api['library:problems']({ offset, limit: PAGE })
      .then((next) => {
        setData(next);
        setError(null);
      })
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [offset]);
  useEffect(load, [load]);
  useReconnect(load);

  // New problems arrive in bursts while scanning: reload at most every two seconds. Problems also
  // go away without an event of their own, with the change that mended them: a thumbnail made
  // again (library:changed), a folder watched live again (folders:changed).
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const reloadSoon = () => {
    if (pending.current) return;
    pending.current = setTimeout(() => {
      pending.current = null;
      load();
    }, 2000);
  };
  useEvent('activity:problem', reloadSoon);
  useEvent('library:changed', reloadSoon);
  useEvent('folders:changed', reloadSoon);
  useEffect(
    () => () => {
      if (pending.current) clearTimeout(pending.current);
    },
    [],
  );

  const total = data?.total ?? 0;
  return (
    <section className="card" aria-labelledby="problems-title">
      <h2 id="problems-title">
        Files and folders that need attention {data && <span className="muted">({formatCount(total)})</span>}
      </h2>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {data && data.items.length === 0 && (
        <p className="empty-inline">Every file was read. Nothing to fix.</p>
      )}
      {data && data.items.length > 0 && (
        <>
          <ul className="row-list">
            {data.items.map((problem) => (
              <li key={problem.id} className="problem-row" data-testid="problem-row" data-kind={problem.kind}>
                <span className="problem-path path" title={problem.path}>
                  {problem.path}
                </span>
                <span className="problem-reason">{problem.reason}</span>
                <span className="problem-meta muted">
                  {problem.kind} · {timeFormat.format(problem.at)}
                </span>
              </li>
            ))}
          </ul>
          {total > PAGE && (
            <div className="pager">
              <button
                type="button"
                className="button button-quiet"
                disabled={offset === 0}
                onClick={() => setOffset(Math.max(0, offset - PAGE))}
              >
                Previous
              </button>
              <span className="muted">
                {formatCount(offset + 1)}–{formatCount(Math.min(total, offset + PAGE))} of{' '}
                {formatCount(total)}
              </span>
              <button
                type="button"
                className="button button-quiet"
                disabled={offset + PAGE >= total}
                onClick={() => setOffset(offset + PAGE)}
              >
                Next
              </button>
            </div>
          )}
        </>
      )}
    </section>
  );
}
