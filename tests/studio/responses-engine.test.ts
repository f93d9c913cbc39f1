import exifr from 'exifr';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createResponsesEngine } from '../../src/main/core/studio/openai-responses';
import { detectPanels } from '../../src/main/core/studio/panels';
import { buildComicPrompt, getLayout } from '../../src/main/core/studio/prompt';
import { panelMask } from '../../src/main/core/studio/redraw';
import { useFakeOpenAIWithReferences } from './engine-setup';
import { pixelAt } from './fixtures';

describe('OpenAI Responses engine (a main model + image_generation) against the fake server, today', () => {
  const layout = getLayout(4, 'grid');
  const prompt = buildComicPrompt({ userPrompt: 'Our day at the beach', layout, referenceCount: 2 });
  const setup = useFakeOpenAIWithReferences(2, 1024);

  const engine = () =>
    createResponsesEngine({ apiKey: setup.fake.apiKey, baseURL: setup.fake.baseURL, partialImages: 2 });

  it('generates a page from the references, streaming partial images', async () => {
    const partials: Array<{ index: number; partialIndex: number; bytes: number }> = [];
    const result = await engine().generate({
      prompt,
      references: setup.refs,
      size: '1024x1024',
      quality: 'low',
      n: 1,
      signal: new AbortController().signal,
      onPartial: (b64, index, partialIndex) =>
        partials.push({ index, partialIndex, bytes: Buffer.from(b64, 'base64').length }),
    });

    expect(result.images).toHaveLength(1);
    const meta = await sharp(result.images[0]!).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 1024, 1024]);
    expect(partials.map((p) => [p.index, p.partialIndex])).toEqual([
      [0, 0],
      [0, 1],
    ]);
    expect(partials.every((p) => p.bytes > 0)).toBe(true);
    expect(result.responseId).toMatch(/^resp_/);
    expect(result.responseIds).toEqual([result.responseId]);
    expect(result.model).toBe('gpt-6-luna-2026-09-22');
    expect(result.imageModel).toBe('gpt-image-2.6-sunburst');
    expect(result.usage.inputTokens).toBeGreaterThan(2 * 765);
    expect(result.usage.totalTokens).toBe(result.usage.inputTokens + result.usage.outputTokens);

    // What went over the wire.
    expect(setup.fake.requests).toHaveLength(1);
    const req = setup.fake.requests[0]!;
    expect(req.path).toBe('/v1/responses');
    expect(req.headers.authorization).toBe(`Bearer ${setup.fake.apiKey}`);
    // The image model is always named (never left to the service's default), and gpt-image-2
    // models get no input_fidelity, which they refuse.
    expect(req.json).toMatchObject({
      model: 'gpt-6-luna',
      stream: true,
      store: true,
      tool_choice: { type: 'image_generation' },
    });
    expect(req.json!.tools).toEqual([
      {
        type: 'image_generation',
        model: 'gpt-image-2.6-sunburst',
        size: '1024x1024',
        quality: 'low',
        partial_images: 2,
        output_format: 'png',
      },
    ]);
    expect(req.json!.previous_response_id).toBeUndefined();
    expect(req.images).toHaveLength(2);
    for (const image of req.images) {
      const m = await sharp(image).metadata();
      expect(Math.max(m.width!, m.height!)).toBeLessThanOrEqual(1024);
      expect(m.exif).toBeUndefined();
      expect(m.icc).toBeUndefined();
      expect(await exifr.gps(image)).toBeUndefined();
    }

    // The page has the four panels asked for, with clean gutters.
    const panels = await detectPanels(result.images[0]!, { layout });
    expect(panels.method).toBe('gutters');
    expect(panels.rects).toHaveLength(4);
  });

  it('continues a conversation with previous_response_id, without sending the references again', async () => {
    const e = engine();
    const signal = new AbortController().signal;
    const first = await e.generate({
      prompt,
      references: setup.refs,
      size: '1024x1024',
      quality: 'low',
      n: 1,
      signal,
    });
    const refinement = buildComicPrompt({
      userPrompt: 'make it sunset',
      layout,
      referenceCount: 2,
      refinement: true,
    });
    const second = await e.generate({
      prompt: refinement,
      references: setup.refs,
      size: '1024x1024',
      quality: 'low',
      n: 1,
      previous: { responseId: first.responseId },
      signal,
    });
    expect(setup.fake.requests).toHaveLength(2);
    const follow = setup.fake.requests[1]!;
    expect(follow.json!.previous_response_id).toBe(first.responseId);
    expect(follow.images).toHaveLength(0);
    expect(second.responseId).not.toBe(first.responseId);
    // A new turn draws a different page.
    const centre = [Math.round(1024 * 0.25), Math.round(1024 * 0.1)] as const;
    expect(await pixelAt(second.images[0]!, ...centre)).not.toEqual(
      await pixelAt(first.images[0]!, ...centre),
    );
  });

  it('branches from a stored version by sending its image first when there is no response id', async () => {
    const page = (
      await engine().generate({
        prompt,
        references: setup.refs,
        size: '1024x1024',
        quality: 'low',
        n: 1,
        signal: new AbortController().signal,
      })
    ).images[0]!;
    setup.fake.requests.length = 0;
    await engine().generate({
      prompt,
      references: setup.refs,
      size: '1024x1024',
      quality: 'low',
      n: 1,
      previous: { image: page },
      signal: new AbortController().signal,
    });
    const sent = setup.fake.requests[0]!;
    expect(sent.json!.previous_response_id).toBeUndefined();
    expect(sent.images).toHaveLength(3);
    expect((await sharp(sent.images[0]!).metadata()).format).toBe('png');
  });

  it('makes n variations as separate responses and sums their usage', async () => {
    const one = await engine().generate({
      prompt,
      references: setup.refs,
      size: '1536x1024',
      quality: 'low',
      n: 1,
      signal: new AbortController().signal,
    });
    setup.fake.requests.length = 0;
    const three = await engine().generate({
      prompt,
      references: setup.refs,
      size: '1536x1024',
      quality: 'low',
      n: 3,
      signal: new AbortController().signal,
    });
    expect(three.images).toHaveLength(3);
    expect(new Set(three.responseIds).size).toBe(3);
    expect(three.responseId).toBe(three.responseIds![0]);
    expect(setup.fake.requests).toHaveLength(3);
    expect(three.usage.totalTokens).toBe(3 * one.usage.totalTokens);
    for (const img of three.images) expect((await sharp(img).metadata()).width).toBe(1536);
  });

  it('passes the configured models, and input fidelity only to an image model that takes it', async () => {
    setup.fake.models.set('gpt-image-1.5', {
      id: 'gpt-image-1.5',
      created: 1,
      owned_by: 'system',
      shutdown_date: null,
    });
    for (const imageModel of ['gpt-image-1.5', 'gpt-image-2']) {
      await createResponsesEngine({
        apiKey: setup.fake.apiKey,
        baseURL: setup.fake.baseURL,
        model: 'gpt-4.1',
        imageModel,
        partialImages: 0,
      }).generate({
        prompt,
        references: setup.refs,
        size: '1024x1024',
        quality: 'high',
        n: 1,
        signal: new AbortController().signal,
      });
    }
    const tools = setup.fake.requests.map((r) => [
      r.json!.model,
      (r.json!.tools as Array<Record<string, unknown>>)[0],
      r.status,
    ]);
    expect(tools).toEqual([
      [
        'gpt-4.1',
        {
          type: 'image_generation',
          model: 'gpt-image-1.5',
          input_fidelity: 'high',
          partial_images: 0,
          quality: 'high',
          size: '1024x1024',
          output_format: 'png',
        },
        200,
      ],
      [
        'gpt-4.1',
        {
          type: 'image_generation',
          model: 'gpt-image-2',
          partial_images: 0,
          quality: 'high',
          size: '1024x1024',
          output_format: 'png',
        },
        200,
      ],
    ]);
  });

  it('redraws a panel with the page as first image and input_image_mask, never from the conversation', async () => {
    const first = await engine().generate({
      prompt,
      references: setup.refs,
      size: '1024x1024',
      quality: 'low',
      n: 1,
      signal: new AbortController().signal,
    });
    const mask = await panelMask(1024, 1024, { x: 31, y: 31, width: 465, height: 465 });
    await engine().generate({
      prompt: 'Redraw only panel 1',
      references: setup.refs,
      size: '1024x1024',
      quality: 'low',
      n: 1,
      previous: { responseId: first.responseId, image: first.images[0]! },
      mask,
      signal: new AbortController().signal,
    });
    const sent = setup.fake.requests[1]!;
    expect(sent.status).toBe(200);
    expect(sent.json!.previous_response_id).toBeUndefined();
    expect(sent.images[0]!.equals(first.images[0]!)).toBe(true);
    expect(sent.images).toHaveLength(3);
    expect((sent.json!.tools as Array<Record<string, unknown>>)[0]).toMatchObject({
      action: 'edit',
      input_image_mask: { image_url: `data:image/png;base64,${mask.toString('base64')}` },
    });
  });
});
