// Every kind of background job, what its row's payload holds and how its key is built. The key
// says what a job is about (one live job per kind and key: enqueueing it again raises its
// priority instead of adding a second job), so each key is built here and nowhere else.
// Rows outlive a version of Komorebi: a payload only ever gains optional fields.

/** What each kind's rows carry in `payload`; the comment says what `key` is. */
export interface JobPayloads {
  /** key: the watched folder's id. */
  'scan-folder': Record<string, never>;
  /** key: the file's absolute path. */
  'ingest-file': { folderId: number };
  /** key: the photo's content hash. */
  thumbnail: Record<string, never>;
  /** key: `<model id>:<content hash>`. */
  embed: { hash: string; model: string };
  /** key: `<model id>:<content hash>`. */
  'find-neighbours': { hash: string; modelId: string };
}

export type JobKind = keyof JobPayloads;

/** A job to queue: one member per kind, so its payload is the one its kind declares. */
export type JobRequest<P = JobPayloads> = {
  [K in keyof P]: { kind: K; key: string; payload: P[K]; priority?: number };
}[keyof P];

/** A queued job of one kind, as its handler receives it. */
export interface Job<P = unknown> {
  id: number;
  kind: string;
  key: string;
  payload: P;
  priority: number;
  attempts: number;
}

export type JobOf<K extends JobKind> = Job<JobPayloads[K]>;

type RequestOf<K extends JobKind> = Extract<JobRequest, { kind: K }>;

/** Builds each kind's job from what it is about. */
export const jobs = {
  scanFolder: (folderId: number): RequestOf<'scan-folder'> => ({
    kind: 'scan-folder',
    key: String(folderId),
    payload: {},
  }),
  ingestFile: (path: string, folderId: number): RequestOf<'ingest-file'> => ({
    kind: 'ingest-file',
    key: path,
    payload: { folderId },
  }),
  thumbnail: (hash: string): RequestOf<'thumbnail'> => ({ kind: 'thumbnail', key: hash, payload: {} }),
  embed: (hash: string, model: string): RequestOf<'embed'> => ({
    kind: 'embed',
    key: `${model}:${hash}`,
    payload: { hash, model },
  }),
  findNeighbours: (hash: string, modelId: string): RequestOf<'find-neighbours'> => ({
    kind: 'find-neighbours',
    key: `${modelId}:${hash}`,
    payload: { hash, modelId },
  }),
};

/** Higher runs first: what the user looks at, then new files, then scans, then the backlog. */
export const Priority = { visible: 100, newFile: 50, scan: 20, backlog: 0 } as const;
