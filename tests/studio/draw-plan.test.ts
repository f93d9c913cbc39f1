// What one Generate press will send, decided before anything is sent.
import { describe, expect, it } from 'vitest';
import { planDraw } from '../../src/main/core/studio/draw-plan';
import { studioModels } from '../../src/main/core/studio/models/choices';
import { BUILT_IN_STYLES } from '../../src/main/core/studio/prompt';
import type { StudioSettings } from '../../src/shared/model';

const DEC_1 = Date.parse('2026-12-01T10:00:00Z');
const settings: StudioSettings = {
  engine: 'openai-images',
  responsesModel: '',
  responsesImageModel: '',
  imagesModel: '',
  baseUrl: '',
  referenceMaxSide: 1536,
};
const models = (s: StudioSettings) =>
  studioModels(s, { list: null, fresh: false, problem: null }, DEC_1, true);
const base = {
  prompt: 'A day out',
  options: {
    style: 'manga',
    panels: 4 as const,
    arrangement: 'grid' as const,
    size: 'auto',
    quality: 'low' as const,
    variations: 1,
  },
  style: BUILT_IN_STYLES[1]!,
  references: 3,
  settings,
  models: models(settings),
};
const parent = {
  engine: 'openai-images',
  responseId: null,
  width: 1024,
  height: 1024,
  panels: [{ x: 31, y: 31, width: 465, height: 465 }],
};

describe('planDraw', () => {
  it("uses the automatic models and the layout's size", () => {
    const plan = planDraw(base);
    expect(plan).toMatchObject({
      engineId: 'openai-images',
      imageModel: 'gpt-image-2.6-sunburst',
      size: '1024x1024',
    });
    expect(plan.config.model).toBe('gpt-image-2.6-sunburst');
    const responses = { ...settings, engine: 'openai-responses' as const };
    expect(planDraw({ ...base, settings: responses, models: models(responses) }).config).toMatchObject({
      model: 'gpt-6-luna',
      imageModel: 'gpt-image-2.6-sunburst',
    });
  });

  it('refuses more images than the model takes before anything is sent: the page being changed counts', () => {
    expect(() => planDraw({ ...base, references: 16 })).not.toThrow();
    expect(() => planDraw({ ...base, references: 16, parent })).toThrow(
      /gpt-image-2\.6-sunburst takes at most 16 images per request \(the page being changed counts as one, so at most 15 photos\).*Exclude 1/,
    );
    // Continuing a Responses conversation sends no photo again, so nothing to count.
    const responses = { ...settings, engine: 'openai-responses' as const };
    const continuing = { ...parent, engine: 'openai-responses', responseId: 'resp_1' };
    expect(
      planDraw({
        ...base,
        references: 16,
        parent: continuing,
        settings: responses,
        models: models(responses),
      }).responseId,
    ).toBe('resp_1');
  });

  it("redraws a panel at the page's own size, names the panel, and never continues the conversation", () => {
    const responses = { ...settings, engine: 'openai-responses' as const };
    const plan = planDraw({
      ...base,
      settings: responses,
      models: models(responses),
      parent: { ...parent, engine: 'openai-responses', responseId: 'resp_1', width: 1536, height: 1024 },
      region: { x: 30, y: 32, width: 466, height: 463 },
    });
    expect(plan).toMatchObject({
      size: '1536x1024',
      region: { x: 30, y: 32, width: 466, height: 463 },
      responseId: undefined,
    });
    expect(plan.fullPrompt).toMatch(/^Redraw only panel 1 of this comic page/);
    expect(() => planDraw({ ...base, region: { x: 0, y: 0, width: 50, height: 50 } })).toThrow(
      /Pick the version/,
    );
  });
});
