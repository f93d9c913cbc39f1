import exifr from 'exifr';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { estimateCost } from '../../src/main/core/studio/cost';
import { createImagesEngine } from '../../src/main/core/studio/openai-images';
import { detectPanels } from '../../src/main/core/studio/panels';
import { buildComicPrompt, getLayout } from '../../src/main/core/studio/prompt';
import { panelMask } from '../../src/main/core/studio/redraw';
import { useFakeOpenAIWithReferences } from './engine-setup';

describe('OpenAI Images engine (images.edit with several references) against the fake server, today', () => {
  const layout = getLayout(3, 'grid');
  const prompt = buildComicPrompt({ userPrompt: 'A picnic that goes wrong', layout, referenceCount: 2 });
  const setup = useFakeOpenAIWithReferences(2, 768);
  const signal = () => new AbortController().signal;
  /** A key whose endpoint still serves a model OpenAI itself retired (Azure deployments live longer). */
  const keepServing = (id: string) =>
    setup.fake.models.set(id, { id, created: 1, owned_by: 'system', shutdown_date: null });

  it('without a model names the newest image family, sends image[] parts and no input_fidelity, and returns n pages', async () => {
    const engine = createImagesEngine({ apiKey: setup.fake.apiKey, baseURL: setup.fake.baseURL });
    expect(engine.model).toBe('gpt-image-2.6-sunburst');
    const result = await engine.generate({
      prompt,
      references: setup.refs,
      size: '1024x1536',
      quality: 'medium',
      n: 2,
      signal: signal(),
    });

    expect(result.images).toHaveLength(2);
    for (const img of result.images) {
      const m = await sharp(img).metadata();
      expect([m.format, m.width, m.height]).toEqual(['png', 1024, 1536]);
      const panels = await detectPanels(img, { layout });
      expect([panels.method, panels.rects.length]).toEqual(['gutters', 3]);
    }
    expect(result.responseId).toBeUndefined();
    expect([result.model, result.imageModel]).toEqual(['gpt-image-2.6-sunburst', 'gpt-image-2.6-sunburst']);
    expect(result.usage.imageTokens).toBe(2 * 323);
    expect(result.usage.outputTokens).toBe(2 * 1056);
    expect(result.usage.totalTokens).toBe(result.usage.inputTokens + result.usage.outputTokens);

    const req = setup.fake.requests[0]!;
    expect(req.path).toBe('/v1/images/edits');
    expect(req.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(req.fields).toEqual({
      model: ['gpt-image-2.6-sunburst'],
      prompt: [expect.any(String)],
      n: ['2'],
      size: ['1024x1536'],
      quality: ['medium'],
      output_format: ['png'],
    });
    // multipart/form-data turns line breaks in fields into CRLF.
    expect(req.fields!.prompt![0]!.replace(/\r\n/g, '\n')).toBe(prompt);
    expect(req.files!.map((f) => [f.field, f.filename, f.contentType])).toEqual([
      ['image[]', 'reference-1.jpg', 'image/jpeg'],
      ['image[]', 'reference-2.jpg', 'image/jpeg'],
    ]);
    for (const file of req.files!) {
      const m = await sharp(file.data).metadata();
      expect(Math.max(m.width!, m.height!)).toBeLessThanOrEqual(768);
      expect(m.exif).toBeUndefined();
      expect(await exifr.gps(file.data)).toBeUndefined();
    }
  });

  it('sends input_fidelity to gpt-image-1.5, which takes it, and not to gpt-image-1-mini or gpt-image-2', async () => {
    keepServing('gpt-image-1.5');
    keepServing('gpt-image-1-mini');
    for (const model of ['gpt-image-1.5', 'gpt-image-1-mini', 'gpt-image-2']) {
      await createImagesEngine({ apiKey: setup.fake.apiKey, baseURL: setup.fake.baseURL, model }).generate({
        prompt,
        references: setup.refs,
        size: '1024x1024',
        quality: 'low',
        n: 1,
        signal: signal(),
      });
    }
    expect(
      setup.fake.requests.map((r) => [r.fields!.model![0], r.fields!.input_fidelity?.[0], r.status]),
    ).toEqual([
      ['gpt-image-1.5', 'high', 200],
      ['gpt-image-1-mini', undefined, 200],
      ['gpt-image-2', undefined, 200],
    ]);
  });

  it('asks each model only for what it has: max quality and a large size for 2.6, high and a standard size for 1.5', async () => {
    keepServing('gpt-image-1.5');
    for (const model of ['gpt-image-2.6-flare', 'gpt-image-1.5']) {
      await createImagesEngine({ apiKey: setup.fake.apiKey, baseURL: setup.fake.baseURL, model }).generate({
        prompt,
        references: setup.refs.slice(0, 1),
        size: '2304x1536',
        quality: 'max',
        n: 1,
        signal: signal(),
      });
    }
    expect(setup.fake.requests.map((r) => [r.fields!.size![0], r.fields!.quality![0], r.status])).toEqual([
      ['2304x1536', 'max', 200],
      ['1536x1024', 'high', 200],
    ]);
  });

  it('streams partial images for a single variation (stream, partial_images) and returns the final page', async () => {
    const partials: Array<[number, number]> = [];
    const result = await createImagesEngine({
      apiKey: setup.fake.apiKey,
      baseURL: setup.fake.baseURL,
      partialImages: 2,
    }).generate({
      prompt,
      references: setup.refs,
      size: '1536x1024',
      quality: 'low',
      n: 1,
      signal: signal(),
      onPartial: (b64, index, partialIndex) => {
        expect(Buffer.from(b64, 'base64').subarray(1, 4).toString()).toBe('PNG');
        partials.push([index, partialIndex]);
      },
    });
    expect(partials).toEqual([
      [0, 0],
      [0, 1],
    ]);
    expect((await sharp(result.images[0]!).metadata()).width).toBe(1536);
    // Each partial image adds 100 image output tokens (272 for a low 1024x1024 page).
    expect(result.usage.outputTokens).toBe(272 + 200);
    expect(setup.fake.requests[0]!.fields).toMatchObject({ stream: ['true'], partial_images: ['2'] });
  });

  it('refines by sending the previous page first, and a panel redraw adds a mask over that page', async () => {
    const engine = createImagesEngine({ apiKey: setup.fake.apiKey, baseURL: setup.fake.baseURL });
    const first = await engine.generate({
      prompt,
      references: setup.refs,
      size: '1024x1024',
      quality: 'low',
      n: 1,
      signal: signal(),
    });
    const page = first.images[0]!;
    await engine.generate({
      prompt: buildComicPrompt({ userPrompt: 'add rain', layout, referenceCount: 2, refinement: true }),
      references: setup.refs,
      size: '1024x1024',
      quality: 'low',
      n: 1,
      previous: { image: page },
      signal: signal(),
    });
    const mask = await panelMask(1024, 1024, { x: 40, y: 40, width: 300, height: 200 });
    await engine.generate({
      prompt: 'Redraw only panel 1',
      references: setup.refs,
      size: '1024x1024',
      quality: 'low',
      n: 1,
      previous: { image: page },
      mask,
      signal: signal(),
    });
    const [, refine, redraw] = setup.fake.requests;
    expect(refine!.files!.map((f) => f.filename)).toEqual([
      'previous-page.png',
      'reference-1.jpg',
      'reference-2.jpg',
    ]);
    expect(refine!.files![0]!.data.equals(page)).toBe(true);
    expect(redraw!.files!.map((f) => [f.field, f.filename])).toEqual([
      ['image[]', 'previous-page.png'],
      ['image[]', 'reference-1.jpg'],
      ['image[]', 'reference-2.jpg'],
      ['mask', 'mask.png'],
    ]);
    expect(redraw!.mask!.equals(mask)).toBe(true);
    expect(redraw!.status).toBe(200);
  });

  it('still works with a model the table does not know: no optional parameter sent, cost unknown', async () => {
    keepServing('gpt-image-3');
    const result = await createImagesEngine({
      apiKey: setup.fake.apiKey,
      baseURL: setup.fake.baseURL,
      model: 'gpt-image-3',
    }).generate({
      prompt,
      references: setup.refs,
      size: '1536x1024',
      quality: 'high',
      n: 1,
      signal: signal(),
    });
    expect(result.images).toHaveLength(1);
    const req = setup.fake.requests[0]!;
    expect(Object.keys(req.fields!).sort()).toEqual(['model', 'n', 'output_format', 'prompt']);
    expect(req.status).toBe(200);
    expect(
      estimateCost({
        engine: 'openai-images',
        model: 'gpt-image-3',
        quality: 'high',
        size: '1536x1024',
        n: 1,
        usage: result.usage,
      }).usd,
    ).toBeNull();
  });

  it('refuses to call the API without any image to edit', async () => {
    const engine = createImagesEngine({ apiKey: setup.fake.apiKey, baseURL: setup.fake.baseURL });
    await expect(
      engine.generate({ prompt, references: [], size: '1024x1024', quality: 'low', n: 1, signal: signal() }),
    ).rejects.toMatchObject({ kind: 'bad-reference' });
    expect(setup.fake.requests).toHaveLength(0);
  });
});
