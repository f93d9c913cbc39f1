import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { createImagesEngine } from '../../src/main/core/studio/openai-images';
import { createResponsesEngine } from '../../src/main/core/studio/openai-responses';

/** The fake as end-to-end tests use it: its own process, steered over HTTP. */
describe('fake OpenAI server run as a separate process', () => {
  let child: ChildProcess | undefined;
  afterEach(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    child = undefined;
  });

  it('prints its URL and key, takes failures from the control endpoint, and lists requests', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'tests/studio/fake-openai.ts', '0', 'sk-e2e-key'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child!.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('OPENAI_API_KEY=')) resolve();
      });
      child!.on('exit', (code) => reject(new Error(`fake exited with ${code}`)));
    });
    const baseURL = /OPENAI_BASE_URL=(\S+)/.exec(out)![1]!;
    expect(out).toContain('OPENAI_API_KEY=sk-e2e-key');
    const origin = baseURL.replace(/\/v1$/, '');

    await fetch(`${origin}/__fake/fail-next`, {
      method: 'POST',
      body: JSON.stringify({ scenarios: ['policy'] }),
    });
    const images = createImagesEngine({ apiKey: 'sk-e2e-key', baseURL });
    const tiny = {
      buffer: Buffer.from('not checked by the fake'),
      mime: 'image/jpeg' as const,
      width: 1,
      height: 1,
    };
    await expect(
      images.generate({
        prompt: '1 panel in row 1',
        references: [tiny],
        size: '1024x1024',
        quality: 'low',
        n: 1,
        signal: new AbortController().signal,
      }),
    ).rejects.toMatchObject({ kind: 'content-policy' });

    const responses = createResponsesEngine({ apiKey: 'sk-e2e-key', baseURL, partialImages: 1 });
    const partials: string[] = [];
    const ok = await responses.generate({
      prompt: '2 panels in row 1',
      references: [],
      size: '1536x1024',
      quality: 'low',
      n: 1,
      signal: new AbortController().signal,
      onPartial: (b64) => partials.push(b64),
    });
    expect(ok.images).toHaveLength(1);
    expect(partials).toHaveLength(1);

    const listed = (await (await fetch(`${origin}/__fake/requests`)).json()) as Array<
      Record<string, unknown>
    >;
    expect(listed).toMatchObject([
      { path: '/v1/images/edits', scenario: 'policy', status: 400, model: 'gpt-image-1', imageCount: 1 },
      { path: '/v1/responses', scenario: 'ok', status: 200, model: 'gpt-4o', imageCount: 0 },
    ]);
    await fetch(`${origin}/__fake/reset`, { method: 'POST' });
    expect(await (await fetch(`${origin}/__fake/requests`)).json()).toEqual([]);
  });
});
