import type { ReactElement } from 'react';
import { fraction } from '../format';

/** A thin bar; `label` names what progresses for screen readers. */
export function ProgressBar({
  done,
  total,
  label,
  compact = false,
}: {
  done: number;
  total: number;
  label: string;
  compact?: boolean;
}): ReactElement {
  const value = fraction(done, total);
  return (
    <div
      className={compact ? 'progress progress-compact' : 'progress'}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={total}
      aria-valuenow={Math.min(done, total)}
    >
      <div className="progress-fill" style={{ transform: `scaleX(${value})` }} />
    </div>
  );
}
