/**
 * The OpenAI API key and the one endpoint it may go to (decision 0032). The key is saved
 * together with the endpoint the user typed it for, in one secret, so no request can send it
 * anywhere else: changing the endpoint takes the key again (`studio:set-key` carries both), and
 * whoever can call the Api but does not know the key cannot move it. A key from the
 * environment (OPENAI_API_KEY) or saved by an earlier version goes only to OpenAI itself, or to
 * OPENAI_BASE_URL from the same environment.
 */
import { normalEndpoint, OPENAI_ENDPOINT, secretEndpointProblem } from '../../../shared/endpoints';
import type { SecretStore } from '../ports';
import type { Redactor } from '../redact';
import { StudioRequestError } from './request-error';
import type { StudioSettingsStore } from './settings';

/** The SecretStore name of a key without an endpoint: the environment's, or an earlier version's. */
export const OPENAI_KEY_SECRET = 'openai-api-key';
/** `{ "endpoint": "...", "key": "..." }`: the key the user typed, and where it may go. */
export const CONFIRMED_KEY_SECRET = 'openai-api-key-confirmed';

export const NO_KEY_MESSAGE =
  'No OpenAI API key is set. Add one in Settings → Comic Studio to generate comics.';

/** What a request to OpenAI may use now. */
export interface OpenAIAccess {
  /** Where requests go, as sent (never left to the SDK's environment fallback). */
  endpoint: string;
  /** The key, only when it is confirmed for `endpoint`. */
  apiKey: string | undefined;
  /** Why no key goes to `endpoint` although one is saved, or why the endpoint is refused. */
  problem: string | null;
}

interface ConfirmedKey {
  endpoint: string;
  key: string;
}

export class OpenAIKey {
  constructor(
    private readonly secrets: SecretStore | undefined,
    private readonly settings: StudioSettingsStore,
    private readonly redactor: Redactor,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** Where the Studio's requests go: the Settings endpoint, else OPENAI_BASE_URL, else OpenAI. */
  endpoint(): string {
    return normalEndpoint(this.settings.get().baseUrl || this.defaultEndpoint());
  }

  /** The endpoint a key without one (environment, earlier version) may go to. */
  private defaultEndpoint(): string {
    return normalEndpoint(this.env.OPENAI_BASE_URL?.trim() || OPENAI_ENDPOINT);
  }

  async access(): Promise<OpenAIAccess> {
    const endpoint = this.endpoint();
    const refused = secretEndpointProblem(endpoint);
    if (refused) return { endpoint, apiKey: undefined, problem: refused };
    const confirmed = await this.confirmed();
    if (confirmed?.endpoint === endpoint) return { endpoint, apiKey: confirmed.key, problem: null };
    const plain = await this.plain();
    if (plain && endpoint === this.defaultEndpoint()) return { endpoint, apiKey: plain, problem: null };
    const elsewhere = confirmed?.endpoint ?? (plain ? this.defaultEndpoint() : null);
    return {
      endpoint,
      apiKey: undefined,
      problem: elsewhere
        ? `The saved API key is for ${elsewhere}, not for ${endpoint}. Komorebi sends a key only where you entered it: type the key for ${endpoint} in Settings → Comic Studio.`
        : null,
    };
  }

  /** A key goes to the current endpoint. */
  async hasKey(): Promise<boolean> {
    return (await this.access()).apiKey !== undefined;
  }

  /**
   * Saves the key for `baseUrl` ('' = OpenAI's or OPENAI_BASE_URL) and makes it the Studio's
   * endpoint; null forgets every saved key. The secret is written first: if the settings write
   * fails, the key is bound to an endpoint the Studio does not use, so it goes nowhere.
   */
  async save(key: string | null, baseUrl: string): Promise<void> {
    const endpoint = normalEndpoint(baseUrl.trim() || this.defaultEndpoint());
    const refused = secretEndpointProblem(endpoint);
    if (refused) throw new StudioRequestError(refused);
    const typed = key?.trim() || null;
    if (!this.secrets && typed) {
      throw new StudioRequestError(
        'This Komorebi has no place to keep an API key. Set OPENAI_API_KEY in the environment and restart Komorebi.',
      );
    }
    this.redactor.remember(typed);
    if (this.secrets) {
      const value = typed ? JSON.stringify({ endpoint, key: typed } satisfies ConfirmedKey) : null;
      await this.secrets.set(CONFIRMED_KEY_SECRET, value);
      // The key without an endpoint would still go to OpenAI: a new key (or forgetting) replaces it.
      await this.secrets.set(OPENAI_KEY_SECRET, null);
    }
    this.settings.update({ baseUrl: baseUrl.trim() });
  }

  /** Where the key lives, in words for Settings. */
  storage(): string {
    if (this.env.OPENAI_API_KEY?.trim()) return 'OPENAI_API_KEY (environment)';
    if (!this.secrets) return 'not saved: set OPENAI_API_KEY in the environment';
    return this.secrets.describe?.() ?? "Komorebi's secret store";
  }

  private async confirmed(): Promise<ConfirmedKey | null> {
    const raw = await this.secrets?.get(CONFIRMED_KEY_SECRET);
    if (!raw) return null;
    try {
      const parsed = JSON.parse(raw) as Partial<ConfirmedKey>;
      if (typeof parsed.endpoint !== 'string' || typeof parsed.key !== 'string' || !parsed.key.trim())
        return null;
      this.redactor.remember(parsed.key);
      return { endpoint: parsed.endpoint, key: parsed.key.trim() };
    } catch {
      return null; // a damaged value is no key; saving one again rewrites it
    }
  }

  /** OPENAI_API_KEY (the stores read the environment first), or a key an earlier version saved. */
  private async plain(): Promise<string | null> {
    const value = this.secrets ? await this.secrets.get(OPENAI_KEY_SECRET) : this.env.OPENAI_API_KEY;
    const key = value?.trim() || null;
    this.redactor.remember(key);
    return key;
  }
}
