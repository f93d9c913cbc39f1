import { createContext, useContext } from 'react';
import type { AppInfo, LibraryStatus } from '../../shared/model';
import { type Navigate, paramsOf, type Route, type ViewId, type ViewParams } from './navigation';

export interface AppState {
  info: AppInfo | null;
  status: LibraryStatus | null;
  refreshStatus(): void;
  route: Route;
  navigate: Navigate;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const state = useContext(AppContext);
  if (!state) throw new Error('useApp() is used outside <App>.');
  return state;
}

/** What `view` was opened with (none while another view is shown). */
export function useViewParams<V extends ViewId>(view: V): ViewParams[V] {
  return paramsOf(useApp().route, view);
}
