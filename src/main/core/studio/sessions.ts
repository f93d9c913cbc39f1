import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { Notifier } from '../../../shared/events';
import { limits } from '../../../shared/limits';
import type {
  ComicGenerationOptions,
  ComicReference,
  ComicSession,
  ComicSessionSummary,
  PageRect,
  PanelCut,
} from '../../../shared/model';
import type { Db } from '../library/db';
import type { GalleryQueries } from '../library/gallery';
import type { Redactor } from '../redact';
import { NO_KEY_MESSAGE, type OpenAIKey } from './api-key';
import { planDraw } from './draw-plan';
import type { OpenAIEngineConfig } from './engine';
import { drawVersions, type StopReason } from './generation';
import { createComicEngine } from './index';
import type { StudioModelsService } from './models/service';
import { detectPanels } from './panels';
import { getLayout, type PanelLayout } from './prompt';
import { recoverInterrupted } from './recover';
import { StudioRequestError } from './request-error';
import { DEFAULT_GENERATION_OPTIONS, SessionStore, type VersionRow } from './session-store';
import type { StudioSettingsStore, StyleStore } from './settings';
import { StudioFiles, studioMediaPath } from './studio-files';
import { toVersion } from './version-view';

export { StudioRequestError } from './request-error';

export const MAX_REFERENCES = limits.comicPhotos;

export interface ComicSessionsDeps {
  db: Db;
  gallery: GalleryQueries;
  notifier: Notifier;
  /** The data directory's studio folder (served to the window as `studio/`). */
  studioDir: string;
  settings: StudioSettingsStore;
  styles: StyleStore;
  key: OpenAIKey;
  models: StudioModelsService;
  /** Engine settings beyond the user's (time limit, retry policy, partial images). */
  engineDefaults?: Partial<OpenAIEngineConfig>;
  /** Knows the key: a failure a server worded with it is saved without it. */
  redactor?: Redactor;
}

export interface GenerateInput {
  id: number;
  prompt: string;
  options: ComicGenerationOptions;
  parentVersionId?: number;
  /** Redraw only this rectangle (a panel) of the parent's page. */
  region?: PageRect;
}

interface Running {
  controller: AbortController;
  done: Promise<void>;
}

/**
 * Comic sessions: the photos picked as references (by content hash, so a moved file keeps
 * working), the versions drawn from them (a tree: refinements and branches point at their
 * parent), and the drawing itself, which runs in the background after Generate returns.
 */
export class ComicSessions {
  readonly files: StudioFiles;
  private readonly store: SessionStore;
  private readonly running = new Map<number, Running>();
  private closed = false;

  constructor(private readonly deps: ComicSessionsDeps) {
    this.store = new SessionStore(deps.db, deps.redactor);
    this.files = new StudioFiles(deps.studioDir);
  }

  /**
   * Versions left 'generating' by a crash or quit: one whose page was drawn (and paid for) and
   * saved is done; the others are failed. Their previews and receipts are removed.
   */
  async recoverInterrupted(): Promise<number> {
    return recoverInterrupted(this.store, this.files);
  }

  async create(photoIds: number[], title?: string): Promise<ComicSession> {
    const hashes = [...new Set(this.hashesOf(photoIds))]; // two copies of one photo are one reference
    const id = this.store.create(title ?? defaultTitle(new Date()), DEFAULT_GENERATION_OPTIONS, hashes);
    return (await this.get(id))!;
  }

  list(): ComicSessionSummary[] {
    return this.store.sessions().map((s) => this.summary(s.id)!);
  }

  async get(id: number): Promise<ComicSession | null> {
    const summary = this.summary(id);
    if (!summary) return null;
    const row = this.store.session(id)!;
    const versions = this.store.versions(id);
    // The fix for a failed version depends on today's settings and models, so it is worked out here.
    const failed = versions.some((v) => v.state === 'failed');
    const now = failed
      ? { settings: this.deps.settings.get(), models: await this.deps.models.current() }
      : null;
    const versionList = versions.map((v) => toVersion(v, now));
    return {
      ...summary,
      options: {
        ...DEFAULT_GENERATION_OPTIONS,
        ...(JSON.parse(row.options) as Partial<ComicGenerationOptions>),
      },
      references: this.references(id),
      versionList,
      totals: {
        tokens: versionList.reduce((s, v) => s + (v.tokens ?? 0), 0),
        costUsd: versionList.reduce((s, v) => s + (v.costUsd ?? 0), 0),
      },
    };
  }

  async rename(id: number, title: string): Promise<ComicSession> {
    this.requireSession(id);
    this.store.rename(id, title);
    return (await this.get(id))!;
  }

  /** Stops its drawing, then removes its rows and every image it made. */
  async delete(id: number): Promise<boolean> {
    await this.stop(id, 'cancel');
    const deleted = this.store.delete(id);
    await this.files.removeSession(id);
    return deleted;
  }

  /** The new list, in order: photos not in it are removed, new ones added. */
  async setReferences(id: number, refs: { photoId: number; included: boolean }[]): Promise<ComicSession> {
    this.requireSession(id);
    if (refs.length > MAX_REFERENCES) {
      throw new StudioRequestError(
        `A comic can use at most ${MAX_REFERENCES} reference photos; remove some.`,
      );
    }
    const hashes = this.hashesOf(refs.map((r) => r.photoId));
    const seen = new Set<string>();
    const rows: { hash: string; included: boolean }[] = [];
    refs.forEach((r, i) => {
      const hash = hashes[i]!;
      if (seen.has(hash)) return; // two copies of one photo are one reference
      seen.add(hash);
      rows.push({ hash, included: r.included });
    });
    this.store.setReferences(id, rows);
    return (await this.get(id))!;
  }

  /**
   * Checks everything the user can fix, records one 'generating' version per variation and
   * returns their ids at once; the drawing goes on in the background ('studio:progress').
   */
  async generate(input: GenerateInput): Promise<{ versionIds: number[] }> {
    if (this.closed) throw new StudioRequestError('Komorebi is closing; generate again after it restarts.');
    this.requireSession(input.id);
    const refs = this.store.references(input.id).filter((r) => r.included === 1);
    if (refs.length === 0) {
      throw new StudioRequestError(
        'No reference photo is included. Include at least one photo, then generate.',
      );
    }
    const sources = refs.map((r) => ({ hash: r.hash, files: this.deps.gallery.filesOf(r.hash) }));
    const missing = sources.filter((s) => s.files.length === 0).length;
    if (missing > 0) {
      throw new StudioRequestError(
        `${missing === 1 ? 'A reference photo is' : `${missing} reference photos are`} not in the library now (a folder is offline or the files were removed). Reconnect the folder, or remove ${missing === 1 ? 'it' : 'them'} from this comic.`,
      );
    }
    const style = this.deps.styles.find(input.options.style);
    if (!style) {
      throw new StudioRequestError(
        `The style "${input.options.style}" no longer exists. Choose another style.`,
      );
    }
    const parent =
      input.parentVersionId === undefined ? undefined : this.parentOf(input.id, input.parentVersionId);
    // The key, and the one endpoint it was entered for (decision 0032).
    const { apiKey, endpoint, problem } = await this.deps.key.access();
    if (!apiKey) throw new StudioRequestError(problem ?? NO_KEY_MESSAGE);

    const settings = this.deps.settings.get();
    const plan = planDraw({
      prompt: input.prompt,
      options: input.options,
      style,
      references: sources.length,
      parent: parent && (await this.parentPage(parent)),
      region: input.region,
      settings,
      models: await this.deps.models.forGeneration(),
      engineDefaults: this.deps.engineDefaults,
    });
    // Checked after the last await, so two quick presses (or a delete meanwhile) cannot slip through.
    this.requireSession(input.id);
    if (this.running.has(input.id)) {
      throw new StudioRequestError(
        'This comic is still being drawn. Wait for it to finish, or cancel it first.',
      );
    }
    const engine = createComicEngine(plan.engineId, { ...plan.config, apiKey, baseURL: endpoint });
    const versionIds = this.store.insertVersions(
      {
        sessionId: input.id,
        parentId: parent?.id ?? null,
        prompt: input.prompt,
        fullPrompt: plan.fullPrompt,
        engine: plan.engineId,
        model: engine.model,
        options: input.options,
        extra: { imageModel: plan.imageModel, ...(plan.region ? { region: plan.region } : {}) },
      },
      input.options.variations,
    );

    const controller = new AbortController();
    const done = drawVersions(
      {
        sessionId: input.id,
        versionIds,
        engine,
        prompt: plan.fullPrompt,
        size: plan.size,
        quality: input.options.quality,
        references: sources,
        referenceMaxSide: settings.referenceMaxSide,
        previous: parent && { responseId: plan.responseId, pageFile: this.files.absolute(parent.image!) },
        region: plan.region,
        partialImages: plan.config.partialImages ?? 2,
        signal: controller.signal,
        onEnd: () => this.running.delete(input.id),
      },
      {
        store: this.store,
        files: this.files,
        notifier: this.deps.notifier,
        onModelGone: (model) => this.deps.models.markGone(model),
      },
    );
    this.running.set(input.id, { controller, done });
    return { versionIds };
  }

  /** The parent page's size and panels (a redraw's mask must match the page; the prompt names the panel). */
  private async parentPage(parent: VersionRow) {
    const image = await readFile(this.files.absolute(parent.image!)).catch(() => {
      throw new StudioRequestError(`The page of the version to change is missing. Generate it again.`);
    });
    const { width = 0, height = 0 } = await sharp(image).metadata();
    const options = {
      ...DEFAULT_GENERATION_OPTIONS,
      ...(JSON.parse(parent.options) as Partial<ComicGenerationOptions>),
    };
    const layout = getLayout(options.panels, options.arrangement);
    const panels = (await detectPanels(image, { layout })).rects;
    return { engine: parent.engine, responseId: parent.response_id, width, height, panels };
  }

  /** Stops the session's drawing; its versions end 'cancelled'. */
  async cancel(id: number): Promise<boolean> {
    return this.stop(id, 'cancel');
  }

  /** Panels of a finished page, found with the layout that was asked for. */
  async panels(versionId: number): Promise<PanelCut> {
    const { image, layout } = await this.page(versionId);
    const found = await detectPanels(image, { layout });
    return {
      versionId,
      width: found.width,
      height: found.height,
      rects: found.rects,
      method: found.method,
      reason: found.reason ?? null,
    };
  }

  /** A finished page's image and layout; what export and panels work from. */
  async page(
    versionId: number,
  ): Promise<{ row: VersionRow; image: Buffer; layout: PanelLayout; number: number }> {
    const row = this.store.version(versionId);
    if (!row)
      throw new StudioRequestError(`Version ${versionId} does not exist any more. Refresh the comic.`);
    if (row.state !== 'done' || !row.image) {
      throw new StudioRequestError(
        `Version ${versionId} has no finished page (it is ${row.state}). Pick a finished version.`,
      );
    }
    const file = this.files.absolute(row.image);
    const image = await readFile(file).catch(() => {
      throw new StudioRequestError(
        `The page of version ${versionId} is missing from ${file}. Generate it again.`,
      );
    });
    const options = {
      ...DEFAULT_GENERATION_OPTIONS,
      ...(JSON.parse(row.options) as Partial<ComicGenerationOptions>),
    };
    const number = this.store.versions(row.session_id).findIndex((v) => v.id === versionId) + 1;
    return { row, image, layout: getLayout(options.panels, options.arrangement), number };
  }

  sessionTitle(id: number): string {
    return this.requireSession(id).title;
  }

  /** Stops every drawing; their versions are failed with "closed while drawing". */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.running.keys()].map((id) => this.stop(id, 'closing')));
  }

  private async stop(id: number, reason: StopReason): Promise<boolean> {
    const run = this.running.get(id);
    if (!run) return false;
    run.controller.abort(reason);
    await run.done;
    return true;
  }

  private summary(id: number): ComicSessionSummary | null {
    const row = this.store.session(id);
    if (!row) return null;
    const versions = this.store.versions(id);
    const cover = [...versions].reverse().find((v) => v.state === 'done' && v.image);
    return {
      id: row.id,
      title: row.title,
      versions: versions.length,
      cover: studioMediaPath(cover?.image ?? null),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  private references(id: number): ComicReference[] {
    const rows = this.store.references(id);
    const photos = this.deps.gallery.byHashes(rows.map((r) => r.hash));
    // A photo whose every file is gone (offline folder) is not shown; its row stays until the list is edited.
    return rows.flatMap((r) => {
      const photo = photos.get(r.hash);
      return photo ? [{ photo, included: r.included === 1 }] : [];
    });
  }

  private hashesOf(photoIds: number[]): string[] {
    return photoIds.map((photoId) => {
      const photo = this.deps.gallery.get(photoId);
      if (!photo) {
        throw new StudioRequestError(
          `Photo ${photoId} is not in the library any more. Refresh the gallery and pick again.`,
        );
      }
      return photo.hash;
    });
  }

  private requireSession(id: number) {
    const row = this.store.session(id);
    if (!row)
      throw new StudioRequestError(`Comic ${id} does not exist any more. Refresh the list of comics.`);
    return row;
  }

  private parentOf(sessionId: number, versionId: number): VersionRow {
    const parent = this.store.version(versionId);
    if (!parent || parent.session_id !== sessionId) {
      throw new StudioRequestError(
        `Version ${versionId} is not part of this comic. Pick a version of this comic to refine.`,
      );
    }
    if (parent.state !== 'done' || !parent.image) {
      throw new StudioRequestError(
        `Version ${versionId} has no finished page to refine (it is ${parent.state}). Pick a finished version.`,
      );
    }
    return parent;
  }
}

/** "Comic — 2026-11-25", in the local date of the machine. */
export function defaultTitle(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `Comic — ${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
