/**
 * The Studio's models for the current settings and key: the directory's list (refreshed when
 * it is old), the catalog's description, the automatic defaults and the notices.
 */
import type { StudioModels } from '../../../../shared/model';
import type { OpenAIKey } from '../api-key';
import type { StudioSettingsStore } from '../settings';
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
    if (this.directory.stale(this.key.endpoint(), LIST_MAX_AGE_MS)) return this.refresh();
    return this.current();
  }

  /** Asks OpenAI for the list now; without a key or network the last list is kept and says so. */
  async refresh(): Promise<StudioModels> {
    // The list is asked for with the key, so only where the key may go (decision 0032).
    const { apiKey, endpoint } = await this.key.access();
    if (apiKey) await this.directory.refresh({ apiKey, baseURL: endpoint, timeoutMs: this.timeoutMs });
    return this.current();
  }

  /** For a generation: the list is read only when there is none for this endpoint yet. */
  async forGeneration(): Promise<StudioModels> {
    if (!this.directory.state(this.key.endpoint()).list) return this.refresh();
    return this.current();
  }

  /** The service answered model_not_found: it leaves the list (and the automatic choices). */
  markGone(model: string): void {
    this.directory.markGone(this.key.endpoint(), model);
  }

  async current(): Promise<StudioModels> {
    const hasKey = await this.key.hasKey();
    return studioModels(this.settings.get(), this.directory.state(this.key.endpoint()), this.now(), hasKey);
  }
}
