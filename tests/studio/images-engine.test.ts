import exifr from 'exifr';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createImagesEngine } from '../../src/main/core/studio/openai-images';
import { detectPanels } from '../../src/main/core/studio/panels';
import { buildComicPrompt, getLayout } from '../../src/main/core/studio/prompt';
import { useFakeOpenAIWithReferences } from './engine-setup';

describe('OpenAI Images engine (images.edit with several references) against the fake server', () => {
  const layout = getLayout(3, 'grid');
  const prompt = buildComicPrompt({ userPrompt: 'A picnic that goes wrong', layout, referenceCount: 2 });
  const setup = useFakeOpenAIWithReferences(2, 768);

  it('sends the references as image[] parts with n, size, quality and input_fidelity, and returns n pages with usage', async () => {
    const engine = createImagesEngine({ apiKey: setup.fake.apiKey, baseURL: setup.fake.baseURL });
    expect(engine.model).toBe('gpt-image-1');
    const result = await engine.generate({
      prompt,
      references: setup.refs,
      size: '1024x1536',
      quality: 'medium',
      n: 2,
      signal: new AbortController().signal,
    });

    expect(result.images).toHaveLength(2);
    for (const img of result.images) {
      const m = await sharp(img).metadata();
      expect([m.format, m.width, m.height]).toEqual(['png', 1024, 1536]);
      const panels = await detectPanels(img, { layout });
      expect(panels.method).toBe('gutters');
      expect(panels.rects).toHaveLength(3);
    }
    expect(result.responseId).toBeUndefined();
    expect(result.model).toBe('gpt-image-1');
    expect(result.usage.imageTokens).toBe(2 * 323);
    expect(result.usage.outputTokens).toBe(2 * 1056);
    expect(result.usage.totalTokens).toBe(result.usage.inputTokens + result.usage.outputTokens);

    const req = setup.fake.requests[0]!;
    expect(req.path).toBe('/v1/images/edits');
    expect(req.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(req.fields).toMatchObject({
      model: ['gpt-image-1'],
      n: ['2'],
      size: ['1024x1536'],
      quality: ['medium'],
      input_fidelity: ['high'],
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

  it('leaves out input_fidelity for gpt-image-1-mini, which does not take it', async () => {
    const engine = createImagesEngine({
      apiKey: setup.fake.apiKey,
      baseURL: setup.fake.baseURL,
      model: 'gpt-image-1-mini',
    });
    await engine.generate({
      prompt,
      references: setup.refs,
      size: '1024x1024',
      quality: 'low',
      n: 1,
      signal: new AbortController().signal,
    });
    expect(setup.fake.requests[0]!.fields!.model).toEqual(['gpt-image-1-mini']);
    expect(setup.fake.requests[0]!.fields!.input_fidelity).toBeUndefined();
  });

  it('refines by sending the previous page first, then the references', async () => {
    const engine = createImagesEngine({ apiKey: setup.fake.apiKey, baseURL: setup.fake.baseURL });
    const signal = new AbortController().signal;
    const first = await engine.generate({
      prompt,
      references: setup.refs,
      size: '1024x1024',
      quality: 'low',
      n: 1,
      signal,
    });
    await engine.generate({
      prompt: buildComicPrompt({ userPrompt: 'add rain', layout, referenceCount: 2, refinement: true }),
      references: setup.refs,
      size: '1024x1024',
      quality: 'low',
      n: 1,
      previous: { image: first.images[0]! },
      signal,
    });
    const files = setup.fake.requests[1]!.files!;
    expect(files.map((f) => f.filename)).toEqual(['previous-page.png', 'reference-1.jpg', 'reference-2.jpg']);
    expect(files[0]!.data.equals(first.images[0]!)).toBe(true);
  });

  it('refuses to call the API without any image to edit', async () => {
    const engine = createImagesEngine({ apiKey: setup.fake.apiKey, baseURL: setup.fake.baseURL });
    await expect(
      engine.generate({
        prompt,
        references: [],
        size: '1024x1024',
        quality: 'low',
        n: 1,
        signal: new AbortController().signal,
      }),
    ).rejects.toMatchObject({ kind: 'bad-reference' });
    expect(setup.fake.requests).toHaveLength(0);
  });
});
