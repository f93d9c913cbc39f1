/**
 * A local stand-in for the OpenAI API as it answers on 2026-12-01 ("today"): it speaks the
 * wire protocol of POST /v1/responses (JSON or Server-Sent Events), POST /v1/images/edits
 * (multipart/form-data, plain or streamed), POST /v1/images/generations and GET /v1/models,
 * validates every request against OpenAI's OpenAPI description (tests/studio/openapi), refuses
 * retired models and parameters a model does not take as the service does (fake-openai/today.ts),
 * draws real comic pages with sharp, records every request, and produces OpenAI's failures on
 * demand:
 *   - fake.failNext(scenario, ...) queues failures for the next requests (then it succeeds), or
 *   - a magic word "FAKE:<scenario>" in the prompt, or an `x-fake-scenario` header, or
 *   - from another process: POST /__fake/fail-next {"scenarios": [...]}; GET /__fake/requests
 *     lists what was received, GET /__fake/violations what broke the description; POST
 *     /__fake/reset clears them.
 * Run alone (end-to-end tests): `npx tsx tests/studio/fake-openai.ts [port] [api-key]` prints
 * its base URL and key on stdout.
 */
import { pathToFileURL } from 'node:url';
import { startFakeOpenAI } from './fake-openai/server';

export { drawPage, rowsFromPrompt } from './fake-openai/pages';
export { startFakeOpenAI } from './fake-openai/server';
export { TODAY } from './fake-openai/today';
export type { FakeModel, FakeOpenAI, ReceivedFile, RecordedRequest, Scenario } from './fake-openai/types';

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [port, apiKey] = process.argv.slice(2);
  const fake = await startFakeOpenAI({ port: port ? Number(port) : 0, apiKey });
  console.log(`OPENAI_BASE_URL=${fake.baseURL}`);
  console.log(`OPENAI_API_KEY=${fake.apiKey}`);
  const stop = () => fake.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
