/**
 * What one Generate press sends, decided before anything is sent: which engine and models
 * (the settings, else the automatic choice from what the key can use), the page size, the
 * prompt, a panel redraw's region, and whether the model takes that many images.
 */
import type { ComicGenerationOptions, PageRect, StudioModels, StudioSettings } from '../../../shared/model';
import type { ComicEngineId, OpenAIEngineConfig } from './engine';
import { inputCountProblem } from './models/limits';
import { clampRect } from './panels';
import { buildComicPrompt, getLayout, type PanelLayout, type StylePreset } from './prompt';
import { StudioRequestError } from './request-error';

export interface DrawPlanInput {
  prompt: string;
  options: ComicGenerationOptions;
  style: StylePreset;
  references: number;
  /** The version refined: its engine, response id, page size and layout's panel rectangles. */
  parent?: { engine: string; responseId: string | null; width: number; height: number; panels: PageRect[] };
  region?: PageRect;
  settings: StudioSettings;
  models: StudioModels;
  engineDefaults?: Partial<OpenAIEngineConfig>;
}

export interface DrawPlan {
  engineId: ComicEngineId;
  /** Without the key and its endpoint: those come only from the key's access (decision 0032). */
  config: Omit<OpenAIEngineConfig, 'apiKey' | 'baseURL'>;
  /** The image model that draws (for limits, prices and the version's record). */
  imageModel: string;
  layout: PanelLayout;
  fullPrompt: string;
  size: string;
  region?: PageRect;
  /** Continue the parent's conversation (same engine, whole page). */
  responseId?: string;
}

export function planDraw(input: DrawPlanInput): DrawPlan {
  const { settings, models, parent } = input;
  const engineId: ComicEngineId = settings.engine;
  const model = engineId === 'openai-images' ? models.effective.imagesModel : models.effective.responsesModel;
  const imageModel = engineId === 'openai-images' ? model : models.effective.responsesImageModel;
  const layout = getLayout(input.options.panels, input.options.arrangement);
  let region: PageRect | undefined;
  let size = input.options.size === 'auto' ? layout.size : input.options.size;
  if (input.region) {
    if (!parent) throw new StudioRequestError('Pick the version whose panel should be redrawn.');
    region = clampRect(input.region, parent.width, parent.height);
    if (region.width < 16 || region.height < 16) {
      throw new StudioRequestError(
        'The area to redraw is too small: pick a panel, or draw a larger rectangle.',
      );
    }
    // The mask must match the page, so the page is redrawn at its own size.
    size = `${parent.width}x${parent.height}`;
  }
  // The page being changed is sent as an image too, unless the conversation already has it.
  const continuing = parent?.engine === engineId && parent.responseId !== null && !region;
  const pages = parent && !continuing ? 1 : 0;
  const tooMany = inputCountProblem(imageModel, continuing ? 0 : input.references, pages);
  if (tooMany) throw new StudioRequestError(tooMany);
  const panel = region ? parent!.panels.findIndex((r) => sameRect(r, region!)) : -1;
  const fullPrompt = buildComicPrompt({
    userPrompt: input.prompt,
    style: input.style,
    layout,
    referenceCount: input.references,
    refinement: parent !== undefined,
    ...(region ? { redrawPanel: panel >= 0 ? panel + 1 : null } : {}),
  });
  return {
    engineId,
    config: {
      ...input.engineDefaults,
      model,
      ...(engineId === 'openai-responses' ? { imageModel } : {}),
    },
    imageModel,
    layout,
    fullPrompt,
    size,
    region,
    responseId: continuing ? parent!.responseId! : undefined,
  };
}

/** Within a few pixels: the editor's rectangles are rounded page pixels. */
function sameRect(a: PageRect, b: PageRect): boolean {
  return (
    Math.abs(a.x - b.x) <= 4 &&
    Math.abs(a.y - b.y) <= 4 &&
    Math.abs(a.width - b.width) <= 4 &&
    Math.abs(a.height - b.height) <= 4
  );
}
