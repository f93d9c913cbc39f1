import { attempt, makeClient, requireKey } from './attempt';
import type { OpenAIEngineConfig } from './engine';
import { isStudioError } from './errors';

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

export interface ModelCheck {
  model: string;
  role: 'main' | 'image';
  ok: boolean;
  message: string;
}

/**
 * Settings' "Test key": may this key use each model the next generation will use? Every model
 * is looked up (free), and the answer names the one the key cannot use and why.
 */
export async function checkModels(
  cfg: OpenAIEngineConfig,
  models: { model: string; role: 'main' | 'image' }[],
): Promise<{ ok: boolean; message: string; checks: ModelCheck[] }> {
  const checks: ModelCheck[] = [];
  for (const { model, role } of models) {
    const what = role === 'main' ? 'main model' : 'image model';
    try {
      await checkOpenAIAccess(cfg, [model]);
      checks.push({ model, role, ok: true, message: `${model} (${what}): available.` });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const keyProblem =
        isStudioError(err) && (err.kind === 'no-key' || err.kind === 'bad-key' || err.kind === 'offline');
      checks.push({
        model,
        role,
        ok: false,
        message: keyProblem ? message : `${model} (${what}): ${message}`,
      });
      if (keyProblem) return { ok: false, message, checks };
    }
  }
  const failed = checks.filter((c) => !c.ok);
  const names = checks
    .map((c) => `${c.model} (${c.role === 'main' ? 'main model' : 'image model'})`)
    .join(' and ');
  return failed.length === 0
    ? { ok: true, message: `The key works and may use ${names}.`, checks }
    : { ok: false, message: failed.map((c) => `The key cannot use ${c.message}`).join(' '), checks };
}
