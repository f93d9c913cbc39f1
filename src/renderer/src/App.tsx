import { type ReactElement, useCallback, useEffect, useMemo, useState } from 'react';
import type { AppInfo } from '../../shared/model';
import { api } from './api/client';
import { AppContext, type AppState, type ViewParams } from './app-context';
import { Sidebar } from './components/Sidebar';
import { StatusLine } from './components/StatusLine';
import { useLibraryStatus } from './hooks/use-library-status';
import { defaultViewId, findView, views } from './views/registry';
import { ModelSuggestion } from './views/settings/ModelSuggestion';

function viewFromHash(): string {
  const id = window.location.hash.replace(/^#\/?/, '');
  return findView(id) ? id : defaultViewId;
}

export function App(): ReactElement {
  const [view, setView] = useState(viewFromHash);
  const [params, setParams] = useState<ViewParams>({});
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [startError, setStartError] = useState<string | null>(null);
  const { status, error: statusError, refresh: refreshStatus } = useLibraryStatus();

  useEffect(() => {
    api['app:info']({})
      .then(setInfo)
      .catch((e: unknown) => setStartError(e instanceof Error ? e.message : String(e)));
  }, []);

  // Back/forward and typed URLs (#settings) switch views too.
  useEffect(() => {
    const onHash = () => setView(viewFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const navigate = useCallback((next: string, nextParams: ViewParams = {}) => {
    if (!findView(next)) return;
    setParams(nextParams);
    setView(next);
    if (window.location.hash !== `#${next}`) window.history.pushState(null, '', `#${next}`);
  }, []);

  const state = useMemo<AppState>(
    () => ({ info, status, refreshStatus, view, params, navigate }),
    [info, status, refreshStatus, view, params, navigate],
  );
  const error = startError ?? (status ? null : statusError);

  return (
    <AppContext.Provider value={state}>
      <div className="app">
        <Sidebar />
        <main className="main">
          {error && (
            <div className="banner banner-error" role="alert">
              {error}
            </div>
          )}
          <ModelSuggestion />
          <div className="views">
            {views.map((entry) => {
              const active = entry.id === view;
              if (!active && !entry.keepAlive) return null;
              const View = entry.component;
              return (
                <section
                  key={entry.id}
                  className={active ? 'view' : 'view view-hidden'}
                  aria-hidden={!active}
                  aria-label={entry.label}
                >
                  <View active={active} />
                </section>
              );
            })}
          </div>
          <StatusLine />
        </main>
      </div>
    </AppContext.Provider>
  );
}
