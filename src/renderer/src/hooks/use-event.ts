import { useEffect, useRef } from 'react';
import type { EventName, Events } from '../../../shared/events';
import { onEvent, onReconnect } from '../api/client';

/** Subscribes for the component's lifetime; the latest listener is always the one called. */
export function useEvent<E extends EventName>(name: E, listener: (payload: Events[E]) => void): void {
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => onEvent(name, (payload) => latest.current(payload)), [name]);
}

/** Runs `listener` when the event stream reconnects after a break (events were missed). */
export function useReconnect(listener: () => void): void {
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => onReconnect(() => latest.current()), []);
}
