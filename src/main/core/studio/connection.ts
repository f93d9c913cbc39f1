import { attempt, makeClient, requireKey } from './attempt';
import type { OpenAIEngineConfig } from './engine';

/**
 * The Settings "Test connection" check: is there a key, is it accepted, and may it use each
 * model? Costs nothing (GET /v1/models/{id}). Throws the same StudioError a generation would.
 */
export async function checkOpenAIAccess(
  cfg: OpenAIEngineConfig,
  models: string[],
  signal: AbortSignal = new AbortController().signal,
): Promise<{ models: string[] }> {
  requireKey(cfg);
  const client = makeClient(cfg);
  const seen: string[] = [];
  for (const model of models) {
    const found = await attempt({ timeoutMs: 30_000, ...cfg }, model, signal, (s) =>
      client.models.retrieve(model, { signal: s }),
    );
    seen.push(found.id);
  }
  return { models: seen };
}
