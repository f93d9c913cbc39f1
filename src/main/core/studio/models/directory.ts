/**
 * The models a key can use, as OpenAI lists them (GET /v1/models, with each model's
 * shutdown_date). The last list seen is kept in SQLite per endpoint, so the Studio still knows
 * what to offer with no key or no network, and says that it is an older list.
 */
import { normalEndpoint, OPENAI_ENDPOINT } from '../../../../shared/endpoints';
import type { Db } from '../../library/db';
import { SettingsStore } from '../../library/settings';
import { makeClient, requireKey, resolvedBaseURL } from '../attempt';
import type { OpenAIEngineConfig } from '../engine';
import { toStudioError } from '../errors';

export interface ListedModel {
  id: string;
  /** YYYY-MM-DD, or null when OpenAI announced none. */
  shutdownDate: string | null;
}

export interface SavedModelList {
  /** The endpoint the list came from; a list from another endpoint is not used. */
  baseURL: string;
  fetchedAt: number;
  models: ListedModel[];
}

export const OPENAI_DEFAULT_BASE_URL = OPENAI_ENDPOINT;

/** The saved list: one row of the settings table. */
export class ModelListStore {
  private readonly settings: SettingsStore;

  constructor(db: Db) {
    this.settings = new SettingsStore(db);
  }

  /** A damaged row is as good as none; the next refresh rewrites it. */
  load(): SavedModelList | null {
    return this.settings.get('studio.models') ?? null;
  }

  save(list: SavedModelList): void {
    this.settings.set('studio.models', list);
  }
}

export interface DirectoryState {
  list: SavedModelList | null;
  /** The list was read from OpenAI in this run of Komorebi (else it is the one seen earlier). */
  fresh: boolean;
  /** Why the last attempt to read it failed, in words; null after a success. */
  problem: string | null;
}

export class ModelDirectory {
  private fresh = false;
  private problem: string | null = null;

  constructor(
    private readonly store: ModelListStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** The list for this endpoint, where it came from, and what went wrong reading it. */
  state(baseURL: string | undefined): DirectoryState {
    const list = this.store.load();
    const same = list && list.baseURL === endpoint(baseURL) ? list : null;
    return { list: same, fresh: this.fresh && same !== null, problem: this.problem };
  }

  /** True when the list for this endpoint is missing or older than `maxAgeMs`. */
  stale(baseURL: string | undefined, maxAgeMs: number): boolean {
    const list = this.state(baseURL).list;
    return !list || !this.fresh || this.now() - list.fetchedAt > maxAgeMs;
  }

  /** Asks OpenAI for the list; on failure keeps the old one and remembers why. Never throws. */
  async refresh(cfg: OpenAIEngineConfig, signal?: AbortSignal): Promise<DirectoryState> {
    try {
      requireKey(cfg);
      const client = makeClient({ ...cfg, timeoutMs: Math.min(cfg.timeoutMs ?? 20_000, 20_000) });
      const models: ListedModel[] = [];
      for await (const m of client.models.list({ signal })) {
        const date = (m as { shutdown_date?: unknown }).shutdown_date;
        models.push({ id: m.id, shutdownDate: typeof date === 'string' ? date : null });
      }
      this.store.save({ baseURL: endpoint(cfg.baseURL), fetchedAt: this.now(), models });
      this.fresh = true;
      this.problem = null;
    } catch (err) {
      this.problem = toStudioError(err, { model: 'the model list', baseURL: resolvedBaseURL(cfg) }).message;
    }
    return this.state(cfg.baseURL);
  }

  /** OpenAI answered model_not_found for `id`: it is gone from the list until the next refresh. */
  markGone(baseURL: string | undefined, id: string): void {
    const list = this.state(baseURL).list;
    if (!list) return;
    this.store.save({ ...list, models: list.models.filter((m) => m.id !== id) });
  }
}

/** The endpoint as the SDK will use it: the setting, OPENAI_BASE_URL, or OpenAI itself. */
export function endpoint(baseURL: string | undefined): string {
  return normalEndpoint(resolvedBaseURL({ apiKey: undefined, baseURL }) ?? OPENAI_DEFAULT_BASE_URL);
}
