import { useCallback, useEffect, useRef, useState } from 'react';
import type { TimelineMonth } from '../../../../shared/model';
import { api } from '../../api/client';
import { useEvent } from '../../hooks/use-event';

export interface Timeline {
  total: number;
  months: TimelineMonth[];
}

/** Month counts for the whole library, reloaded (at most once a second) when it changes. */
export function useTimeline(onChanged: () => void): { timeline: Timeline | null; error: string | null } {
  const [timeline, setTimeline] = useState<Timeline | null>(null);
  const [error, setError] = useState<string | null>(null);
  const latestOnChanged = useRef(onChanged);
  latestOnChanged.current = onChanged;

  const load = useCallback(() => {
    api['photos:timeline']({})
      .then((next) => {
        setTimeline(next);
        setError(null);
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, []);

  useEffect(load, [load]);

  // While a folder is being scanned, changes arrive many times a second: refresh on the first,
  // then at most once per second, and always once after the last.
  const throttle = useRef<{ timer: ReturnType<typeof setTimeout> | null; pending: boolean }>({
    timer: null,
    pending: false,
  });
  const refresh = useCallback(() => {
    const state = throttle.current;
    if (state.timer) {
      state.pending = true;
      return;
    }
    latestOnChanged.current();
    load();
    state.timer = setTimeout(() => {
      state.timer = null;
      if (state.pending) {
        state.pending = false;
        refresh();
      }
    }, 1000);
  }, [load]);
  useEffect(
    () => () => {
      if (throttle.current.timer) clearTimeout(throttle.current.timer);
    },
    [],
  );

  useEvent('library:changed', refresh);
  return { timeline, error };
}
