import { useEffect, useRef } from 'react';
import type { EventName } from '../../../shared/events';
import { useEvent } from './use-event';

/**
 * Calls `run` when `name` fires, at most once per `ms`: at once for the first event, then
 * once more after the quiet period if others came meanwhile. While a folder is scanned,
 * `library:changed` arrives many times a second; the window should not refetch each time.
 */
export function useThrottledEvent(name: EventName, run: () => void, ms: number): void {
  const latest = useRef(run);
  latest.current = run;
  const state = useRef<{ timer: ReturnType<typeof setTimeout> | null; pending: boolean }>({
    timer: null,
    pending: false,
  });

  useEffect(
    () => () => {
      if (state.current.timer) clearTimeout(state.current.timer);
      state.current.timer = null;
    },
    [],
  );

  useEvent(name, () => {
    const s = state.current;
    if (s.timer) {
      s.pending = true;
      return;
    }
    latest.current();
    const tick = () => {
      if (s.pending) {
        s.pending = false;
        latest.current();
        s.timer = setTimeout(tick, ms);
      } else {
        s.timer = null;
      }
    };
    s.timer = setTimeout(tick, ms);
  });
}
