import { type ReactElement, useCallback, useEffect, useMemo, useState } from 'react';
import type { AppInfo } from '../../shared/model';
import { api } from './api/client';
import { errorMessage } from './api/errors';
import { AppContext, type AppState } from './app-context';
import { Sidebar } from './components/Sidebar';
import { StatusLine } from './components/StatusLine';
import { useLibraryStatus } from './hooks/use-library-status';
import { type Navigate, noParams, type Route, type ViewId } from './navigation';
import { defaultViewId, findView, views } from './views/registry';
import { ModelSuggestion } from './views/settings/ModelSuggestion';

function viewFromHash(): ViewId {
  return findView(window.location.hash.replace(/^#\/?/, ''))?.id ?? defaultViewId;
}

export function App(): ReactElement {
  const [route, setRoute] = useState<Route>(() => ({ view: viewFromHash(), params: noParams }));
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [startError, setStartError] = useState<string | null>(null);
  const { status, error: statusError, refresh: refreshStatus } = useLibraryStatus();

  useEffect(() => {
    api['app:info']({})
      .then(setInfo)
      .catch((e: unknown) => setStartError(errorMessage(e)));
  }, []);

  // Back/forward and typed URLs (#settings) switch views too.
  useEffect(() => {
    const onHash = () => {
      const view = viewFromHash();
      setRoute((current) => (current.view === view ? current : { view, params: noParams }));
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const navigate = useCallback<Navigate>((view, params = noParams) => {
    setRoute({ view, params } as Route);
    if (window.location.hash !== `#${view}`) window.history.pushState(null, '', `#${view}`);
  }, []);

  const state = useMemo<AppState>(
    () => ({ info, status, refreshStatus, route, navigate }),
    [info, status, refreshStatus, route, navigate],
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
              const active = entry.id === route.view;
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
