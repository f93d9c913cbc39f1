/**
 * The Studio's models for the current settings and key: the directory's list (refreshed when
 * it is old), the catalog's description, the automatic defaults and the notices.
 */
import type { StudioModels } from '../../../../shared/model';
import type { OpenAIKey, StudioSettingsStore } from '../settings';
import { studioModels } from './choices';
import type { ModelDirectory } from './directory';

/** How old a list may be before Settings or the Studio ask OpenAI again. */
export const LIST_MAX_AGE_MS = 60 * 60 * 1000;

export class StudioModelsService {
  constructor(
    private readonly directory: ModelDirectory,
    private readonly settings: StudioSettingsStore,
    private readonly key: OpenAIKey,
    private readonly now: () => number = Date.now,
    private readonly timeoutMs = 10_000,
  ) {}

  /** What Settings and the Studio show; asks OpenAI again when the list is old and a key is set. */
  async view(): Promise<StudioModels> {
    const baseUrl = this.settings.get().baseUrl || undefined;
    if (this.directory.stale(baseUrl, LIST_MAX_AGE_MS)) return this.refresh();
    return this.current();
  }

  /** Asks OpenAI for the list now; without a key or network the last list is kept and says so. */
  async refresh(): Promise<StudioModels> {
    const apiKey = await this.key.get();
    if (apiKey) {
      const s = this.settings.get();
      await this.directory.refresh({ apiKey, baseURL: s.baseUrl || undefined, timeoutMs: this.timeoutMs });
    }
    return this.current();
  }

  /** For a generation: the list is read only when there is none for this endpoint yet. */
  async forGeneration(): Promise<StudioModels> {
    const baseUrl = this.settings.get().baseUrl || undefined;
    if (!this.directory.state(baseUrl).list) return this.refresh();
    return this.current();
  }

  /** The service answered model_not_found: it leaves the list (and the automatic choices). */
  markGone(model: string): void {
    this.directory.markGone(this.settings.get().baseUrl || undefined, model);
  }

  async current(): Promise<StudioModels> {
    const s = this.settings.get();
    const hasKey = (await this.key.get()) !== null;
    return studioModels(s, this.directory.state(s.baseUrl || undefined), this.now(), hasKey);
  }
}
