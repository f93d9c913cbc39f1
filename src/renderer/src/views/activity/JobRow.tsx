import type { ReactElement } from 'react';
import type { JobCounts, JobProgress } from '../../../../shared/model';
import { ProgressBar } from '../../components/ProgressBar';
import { formatCount, formatRate, formatTimeLeft } from '../../format';

export function JobRow({
  progress,
  counts,
  paused,
}: {
  progress: JobProgress;
  counts: JobCounts | undefined;
  paused: boolean;
}): ReactElement {
  const finished = progress.total > 0 && progress.done >= progress.total;
  const rate = paused || finished ? '' : formatRate(progress.perSecond);
  const left = paused || finished ? null : formatTimeLeft(progress.secondsLeft);
  return (
    <li className="job-row" data-testid="job-row" data-kind={progress.kind}>
      <div className="job-head">
        <span className="job-label">{progress.label}</span>
        <span className="job-numbers">
          {formatCount(progress.done)} / {formatCount(progress.total)}
        </span>
      </div>
      <ProgressBar done={progress.done} total={progress.total} label={progress.label} />
      <div className="job-foot muted">
        <span>
          {paused ? 'Paused' : finished ? 'Done' : [rate, left].filter(Boolean).join(' · ') || 'Starting…'}
        </span>
        {counts && counts.failed > 0 && (
          <span className="status-warn">{formatCount(counts.failed)} failed</span>
        )}
      </div>
    </li>
  );
}
