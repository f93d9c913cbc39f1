/**
 * Where the window is: a view, and what it was opened with. Each view declares its own
 * parameters here, so `navigate('studio', { sessionId })` is checked by the compiler and a view
 * reads only the parameters it can be given.
 */
export type NoParams = Record<string, never>;

export interface ViewParams {
  gallery: NoParams;
  /** The photos a search starts from ("Find similar", "More like these"); none: the last search. */
  similar: { photoIds: number[] } | { photoId: number } | NoParams;
  duplicates: NoParams;
  /** A comic to open, photos to make a new comic from ("Make comic"), or none: the list. */
  studio: { sessionId: number } | { create: number[] } | NoParams;
  activity: NoParams;
  settings: NoParams;
}

export type ViewId = keyof ViewParams;

/** A discriminated union on `view`: each view with its own parameters. */
export type Route = { [V in ViewId]: { view: V; params: ViewParams[V] } }[ViewId];

export type Navigate = <V extends ViewId>(view: V, params?: ViewParams[V]) => void;

export const noParams: NoParams = Object.freeze({});

/** The parameters of `view` when it is the one shown, else none. */
export function paramsOf<V extends ViewId>(route: Route, view: V): ViewParams[V] {
  return (route.view === view ? route.params : noParams) as ViewParams[V];
}
