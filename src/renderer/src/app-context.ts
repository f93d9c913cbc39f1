import { createContext, useContext } from 'react';
import type { AppInfo, LibraryStatus } from '../../shared/model';

/** Extra data a view can be opened with (e.g. the photo a "Find similar" starts from). */
export type ViewParams = Record<string, string | number | number[] | undefined>;

export interface AppState {
  info: AppInfo | null;
  status: LibraryStatus | null;
  refreshStatus(): void;
  view: string;
  params: ViewParams;
  navigate(view: string, params?: ViewParams): void;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const state = useContext(AppContext);
  if (!state) throw new Error('useApp() is used outside <App>.');
  return state;
}
