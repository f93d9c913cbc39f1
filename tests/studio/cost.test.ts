import { describe, expect, it } from 'vitest';
import { estimateCost, imageOutputTokens } from '../../src/main/core/studio/cost';

describe('estimateCost', () => {
  it('bills gpt-image-2 models by text input, image input and image output tokens, each at its rate', () => {
    const est = estimateCost({
      engine: 'openai-images',
      model: 'gpt-image-2.6-sunburst',
      quality: 'medium',
      size: '1024x1024',
      n: 1,
      usage: { inputTokens: 1100, imageTokens: 1000, outputTokens: 1056, totalTokens: 2156 },
    });
    expect(est.label).toBe('estimate');
    // 100 text tokens at $5/M + 1000 image tokens at $8/M + 1056 image output tokens at $30/M.
    expect(est.usd).toBeCloseTo((100 * 5 + 1000 * 8 + 1056 * 30) / 1e6, 9);
  });

  it('uses each family its own price: a dated snapshot its family, gpt-image-1-mini its own', () => {
    const usage = { inputTokens: 1000, imageTokens: 1000, outputTokens: 1000, totalTokens: 2000 };
    const at = (model: string) =>
      estimateCost({ engine: 'openai-images', model, quality: 'low', size: '1024x1024', n: 1, usage }).usd;
    expect(at('gpt-image-2-2026-04-21')).toBeCloseTo((8 + 30) / 1000, 9);
    expect(at('gpt-image-1')).toBeCloseTo((10 + 40) / 1000, 9);
    expect(at('gpt-image-1-mini')).toBeCloseTo((2.5 + 8) / 1000, 9);
  });

  it('estimates before generating from quality, size, count and partial images', () => {
    const est = estimateCost({
      engine: 'openai-images',
      model: 'gpt-image-2',
      quality: 'high',
      size: '1024x1536',
      n: 2,
      partialImages: 2,
    });
    expect(imageOutputTokens('high', '1024x1536')).toBe(6240);
    expect(est.usd).toBeCloseTo((2 * (6240 + 200) * 30) / 1e6, 9);
  });

  it("prices a Responses turn as main-model tokens plus the tool image at the image model's rate", () => {
    const est = estimateCost({
      engine: 'openai-responses',
      model: 'gpt-6-luna-2026-09-22',
      imageModel: 'gpt-image-2.6-sunburst',
      quality: 'low',
      size: '1024x1024',
      n: 1,
      usage: { inputTokens: 2000, outputTokens: 100, totalTokens: 2100 },
    });
    expect(est.usd).toBeCloseTo((2000 * 0.1 + 100 * 0.5 + 272 * 30) / 1e6, 9);
    expect(est.note).toContain('gpt-image-2.6-sunburst');
  });

  it('says "unknown" for a model without a price, never another model\'s figure', () => {
    for (const [engine, model, imageModel] of [
      ['openai-images', 'gpt-image-3', undefined],
      ['openai-images', 'chatgpt-image-latest', undefined],
      ['openai-responses', 'gpt-7', 'gpt-image-2.6-sunburst'],
      ['openai-responses', 'gpt-6-luna', 'gpt-image-3'],
      ['openai-responses', 'gpt-6-luna', undefined],
    ] as const) {
      const est = estimateCost({ engine, model, imageModel, quality: 'low', size: '1024x1024', n: 1 });
      expect(est.usd, `${model} + ${imageModel}`).toBeNull();
      expect(est.note).toMatch(/unknown/);
    }
    // A quality without a published token figure is unknown too, before and after drawing on Responses.
    expect(
      estimateCost({
        engine: 'openai-responses',
        model: 'gpt-6-luna',
        imageModel: 'gpt-image-2.6-flare',
        quality: 'max',
        size: '1024x1024',
        n: 1,
      }).usd,
    ).toBeNull();
  });

  it('takes price overrides for a model the table lacks', () => {
    const priced = estimateCost({
      engine: 'openai-images',
      model: 'gpt-image-3',
      quality: 'low',
      size: '1024x1024',
      n: 1,
      prices: { image: { 'gpt-image-3': { textInput: 1, imageInput: 1, imageOutput: 10 } } },
    });
    expect(priced.usd).toBeCloseTo((272 * 10) / 1e6, 9);
  });
});
