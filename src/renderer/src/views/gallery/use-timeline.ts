import { useCallback, useEffect, useState } from 'react';
import type { TimelineMonth } from '../../../../shared/model';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { useReconnect } from '../../hooks/use-event';
import { useThrottledEvent } from '../../hooks/use-throttled-event';

export interface Timeline {
  total: number;
  months: TimelineMonth[];
}

/** Month counts for the whole library, reloaded (at most once a second) when it changes. */
export function useTimeline(onChanged: () => void): { timeline: Timeline | null; error: string | null } {
  const [timeline, setTimeline] = useState<Timeline | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    api['photos:timeline']({})
      .then((next) => {
        setTimeline(next);
        setError(null);
      })
      .catch((e: unknown) => setError(errorMessage(e)));
  }, []);
  useEffect(load, [load]);

  const reload = () => {
    onChanged();
    load();
  };
  useThrottledEvent('library:changed', reload, 1000);
  useReconnect(reload);
  return { timeline, error };
}
