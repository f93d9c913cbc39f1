import { useCallback, useEffect, useState } from 'react';
import type { ComicSession, StudioOptions } from '../../../../shared/model';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { useEvent, useReconnect } from '../../hooks/use-event';
import { applyProgress, type LiveProgress } from './live-progress';

export interface ComicSessionState {
  session: ComicSession | null;
  /** null: still loading; the session was deleted elsewhere when `missing`. */
  missing: boolean;
  options: StudioOptions | null;
  live: LiveProgress;
  loadError: string | null;
  reload(): Promise<ComicSession | null>;
  setSession(session: ComicSession): void;
  setOptions(options: StudioOptions): void;
}

/**
 * One comic and what is live about it: the session from the core, the studio options, and
 * the drawing progress folded from 'studio:progress'. A version that reaches a final state
 * reloads the session, which then carries its page, tokens and cost.
 */
export function useComicSession(sessionId: number): ComicSessionState {
  const [session, setSession] = useState<ComicSession | null>(null);
  const [missing, setMissing] = useState(false);
  const [options, setOptions] = useState<StudioOptions | null>(null);
  const [live, setLive] = useState<LiveProgress>(new Map());
  const [loadError, setLoadError] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      const next = await api['studio:get']({ id: sessionId });
      if (next) setSession(next);
      setMissing(next === null);
      setLoadError(null);
      return next;
    } catch (e) {
      setLoadError(errorMessage(e));
      return null;
    }
  }, [sessionId]);

  const loadOptions = useCallback(() => {
    api['studio:options']({})
      .then(setOptions)
      .catch((e: unknown) => setLoadError(errorMessage(e)));
  }, []);

  useEffect(() => {
    void reload();
    loadOptions();
  }, [reload, loadOptions]);
  useReconnect(() => {
    void reload();
    loadOptions();
  });

  useEvent('studio:progress', (event) => {
    if (event.sessionId !== sessionId) return;
    setLive((current) => applyProgress(current, event, sessionId, Date.now()));
    if (event.state !== 'generating') void reload();
  });

  return { session, missing, options, live, loadError, reload, setSession, setOptions };
}
