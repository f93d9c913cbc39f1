import type { ComicGenerationOptions, ComicVersion } from '../../../shared/model';
import type { Db } from '../library/db';
import type { Redactor } from '../redact';

/** What a comic starts with until the user picks otherwise. */
export const DEFAULT_GENERATION_OPTIONS: ComicGenerationOptions = {
  style: 'watercolour',
  panels: 4,
  arrangement: 'grid',
  size: 'auto',
  quality: 'medium',
  variations: 1,
};

export interface SessionRow {
  id: number;
  title: string;
  options: string;
  created_at: number;
  updated_at: number;
}

export interface ReferenceRow {
  hash: string;
  position: number;
  included: number;
}

export interface VersionRow {
  id: number;
  session_id: number;
  parent_id: number | null;
  prompt: string;
  full_prompt: string;
  state: ComicVersion['state'];
  error: string | null;
  /** Path inside the studio folder, '/'-separated. */
  image: string | null;
  response_id: string | null;
  engine: string;
  model: string;
  usage: string | null;
  cost_usd: number | null;
  created_at: number;
  options: string;
  variation: number;
  finished_at: number | null;
}

export interface NewVersions {
  sessionId: number;
  parentId: number | null;
  prompt: string;
  fullPrompt: string;
  engine: string;
  model: string;
  options: ComicGenerationOptions;
  /** Kept with each version's options only (a panel redraw's region, the image model), not the session's. */
  extra?: Record<string, unknown>;
}

/** Why a version failed, as the Studio can act on it (a model that is gone, one that needs verification). */
export interface VersionFailure {
  kind: string;
  code: string | null;
  model: string | null;
}

export interface VersionOutcome {
  state: ComicVersion['state'];
  error?: string | null;
  image?: string | null;
  responseId?: string | null;
  model?: string;
  /** Stored in the version's options JSON (no column of its own). */
  imageModel?: string | null;
  failure?: VersionFailure;
  usage?: unknown;
  costUsd?: number | null;
}

/** The rows of comic sessions, their references and versions. Plain SQL, no behaviour. */
export class SessionStore {
  constructor(
    private readonly db: Db,
    /** A failure's words come from a server and may repeat a secret it was sent (a careless gateway). */
    private readonly redactor?: Redactor,
  ) {}

  create(title: string, options: ComicGenerationOptions, hashes: string[]): number {
    return this.db.transaction(() => {
      const now = Date.now();
      const id = Number(
        this.db
          .prepare('INSERT INTO comic_sessions (title, options, created_at, updated_at) VALUES (?, ?, ?, ?)')
          .run(title, JSON.stringify(options), now, now).lastInsertRowid,
      );
      this.writeReferences(
        id,
        hashes.map((hash) => ({ hash, included: true })),
      );
      return id;
    })();
  }

  session(id: number): SessionRow | undefined {
    return this.db.prepare('SELECT * FROM comic_sessions WHERE id = ?').get(id) as SessionRow | undefined;
  }

  /** Newest activity first. */
  sessions(): SessionRow[] {
    return this.db
      .prepare('SELECT * FROM comic_sessions ORDER BY updated_at DESC, id DESC')
      .all() as SessionRow[];
  }

  rename(id: number, title: string): void {
    this.db
      .prepare('UPDATE comic_sessions SET title = ?, updated_at = ? WHERE id = ?')
      .run(title, Date.now(), id);
  }

  /** Versions and references go with it (ON DELETE CASCADE). */
  delete(id: number): boolean {
    return this.db.prepare('DELETE FROM comic_sessions WHERE id = ?').run(id).changes > 0;
  }

  references(sessionId: number): ReferenceRow[] {
    return this.db
      .prepare('SELECT hash, position, included FROM comic_references WHERE session_id = ? ORDER BY position')
      .all(sessionId) as ReferenceRow[];
  }

  setReferences(sessionId: number, refs: { hash: string; included: boolean }[]): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM comic_references WHERE session_id = ?').run(sessionId);
      this.writeReferences(sessionId, refs);
      this.touch(sessionId);
    })();
  }

  versions(sessionId: number): VersionRow[] {
    return this.db
      .prepare('SELECT * FROM comic_versions WHERE session_id = ? ORDER BY id')
      .all(sessionId) as VersionRow[];
  }

  version(id: number): VersionRow | undefined {
    return this.db.prepare('SELECT * FROM comic_versions WHERE id = ?').get(id) as VersionRow | undefined;
  }

  /** One row per variation, all 'generating'; the session remembers the options for next time. */
  insertVersions(v: NewVersions, count: number): number[] {
    return this.db.transaction(() => {
      const now = Date.now();
      const insert = this.db.prepare(
        `INSERT INTO comic_versions (session_id, parent_id, prompt, full_prompt, state, engine, model, options, variation, created_at)
         VALUES (?, ?, ?, ?, 'generating', ?, ?, ?, ?, ?)`,
      );
      const ids: number[] = [];
      for (let i = 0; i < count; i++) {
        const options = JSON.stringify({ ...v.options, ...v.extra });
        ids.push(
          Number(
            insert.run(v.sessionId, v.parentId, v.prompt, v.fullPrompt, v.engine, v.model, options, i, now)
              .lastInsertRowid,
          ),
        );
      }
      this.db
        .prepare('UPDATE comic_sessions SET options = ?, updated_at = ? WHERE id = ?')
        .run(JSON.stringify(v.options), now, v.sessionId);
      return ids;
    })();
  }

  finish(versionId: number, o: VersionOutcome): void {
    const now = Date.now();
    this.db
      .prepare(
        `UPDATE comic_versions SET state = @state, error = @error, image = coalesce(@image, image),
           response_id = coalesce(@responseId, response_id), model = coalesce(@model, model),
           usage = coalesce(@usage, usage), cost_usd = coalesce(@costUsd, cost_usd), finished_at = @now,
           options = json_patch(options, @extra)
         WHERE id = @id`,
      )
      .run({
        id: versionId,
        state: o.state,
        error: o.error == null ? null : (this.redactor?.text(o.error) ?? o.error),
        image: o.image ?? null,
        responseId: o.responseId ?? null,
        model: o.model ?? null,
        usage: o.usage === undefined ? null : JSON.stringify(o.usage),
        costUsd: o.costUsd ?? null,
        extra: JSON.stringify({
          ...(o.imageModel ? { imageModel: o.imageModel } : {}),
          ...(o.failure ? { failure: o.failure } : {}),
        }),
        now,
      });
    this.db
      .prepare(
        'UPDATE comic_sessions SET updated_at = ? WHERE id = (SELECT session_id FROM comic_versions WHERE id = ?)',
      )
      .run(now, versionId);
  }

  /** Versions still 'generating' when nothing is drawing them (after a crash or quit). */
  /** Versions left 'generating' (by a crash or a quit: nothing draws before start is over). */
  interrupted(): { id: number; session_id: number }[] {
    return this.db.prepare("SELECT id, session_id FROM comic_versions WHERE state = 'generating'").all() as {
      id: number;
      session_id: number;
    }[];
  }

  failInterrupted(message: string): { id: number; session_id: number }[] {
    return this.db.transaction(() => {
      const rows = this.db
        .prepare("SELECT id, session_id FROM comic_versions WHERE state = 'generating'")
        .all() as { id: number; session_id: number }[];
      this.db
        .prepare(
          "UPDATE comic_versions SET state = 'failed', error = ?, finished_at = ? WHERE state = 'generating'",
        )
        .run(message, Date.now());
      return rows;
    })();
  }

  private touch(sessionId: number): void {
    this.db.prepare('UPDATE comic_sessions SET updated_at = ? WHERE id = ?').run(Date.now(), sessionId);
  }

  private writeReferences(sessionId: number, refs: { hash: string; included: boolean }[]): void {
    const insert = this.db.prepare(
      'INSERT INTO comic_references (session_id, position, hash, included) VALUES (?, ?, ?, ?)',
    );
    refs.forEach((r, i) => {
      insert.run(sessionId, i, r.hash, r.included ? 1 : 0);
    });
  }
}
