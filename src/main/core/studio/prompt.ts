import type { ComicSize } from './engine';

/** A drawing style. Built-in presets ship with the app; user presets are the same data, saved by the caller. */
export interface StylePreset {
  id: string;
  name: string;
  /** What the style asks of the model, appended to the user's prompt. */
  prompt: string;
  builtIn: boolean;
}

export const BUILT_IN_STYLES: readonly StylePreset[] = [
  {
    id: 'watercolour',
    name: 'Ghibli-like watercolour',
    prompt:
      'Soft hand-painted watercolour in the spirit of classic Japanese animated films: gentle pastel light, ' +
      'lush painted backgrounds, warm expressive faces, clean ink outlines.',
    builtIn: true,
  },
  {
    id: 'manga',
    name: 'Manga',
    prompt:
      'Black-and-white manga: crisp ink line art, screentone shading, dynamic angles, speed lines and ' +
      'expressive eyes; speech bubbles with short lettering.',
    builtIn: true,
  },
  {
    id: 'newspaper-strip',
    name: 'Newspaper strip',
    prompt:
      'Classic newspaper comic strip: bold clean outlines, flat bright colours, simple backgrounds, ' +
      'hand-lettered speech balloons, a punchline in the last panel.',
    builtIn: true,
  },
  {
    id: 'childrens-book',
    name: "Children's book",
    prompt:
      "Warm children's picture-book illustration: rounded friendly shapes, soft coloured-pencil and gouache " +
      'textures, cosy light, gentle humour, no scary details.',
    builtIn: true,
  },
];

export type PanelCount = 1 | 2 | 3 | 4 | 6;
export type PanelArrangement = 'strip' | 'grid';

/** A page layout: panels per row, top to bottom. A "strip" reads left to right in as few rows as fit. */
export interface PanelLayout {
  id: string;
  name: string;
  panels: PanelCount;
  arrangement: PanelArrangement;
  rows: readonly number[];
  /** The OpenAI page size that suits this layout. */
  size: ComicSize;
}

const LAYOUTS: readonly PanelLayout[] = [
  { id: '1', name: 'Single panel', panels: 1, arrangement: 'grid', rows: [1], size: '1024x1024' },
  {
    id: '2-strip',
    name: '2 panels side by side',
    panels: 2,
    arrangement: 'strip',
    rows: [2],
    size: '1536x1024',
  },
  { id: '2-grid', name: '2 panels stacked', panels: 2, arrangement: 'grid', rows: [1, 1], size: '1024x1536' },
  { id: '3-strip', name: '3-panel strip', panels: 3, arrangement: 'strip', rows: [3], size: '1536x1024' },
  {
    id: '3-grid',
    name: '2 panels over 1 wide',
    panels: 3,
    arrangement: 'grid',
    rows: [2, 1],
    size: '1024x1536',
  },
  { id: '4-strip', name: '4-panel strip', panels: 4, arrangement: 'strip', rows: [4], size: '1536x1024' },
  { id: '4-grid', name: '2 × 2 grid', panels: 4, arrangement: 'grid', rows: [2, 2], size: '1024x1024' },
  {
    id: '6-strip',
    name: '6 panels in two tiers',
    panels: 6,
    arrangement: 'strip',
    rows: [3, 3],
    size: '1536x1024',
  },
  { id: '6-grid', name: '2 × 3 grid', panels: 6, arrangement: 'grid', rows: [2, 2, 2], size: '1024x1536' },
];

export function listLayouts(): readonly PanelLayout[] {
  return LAYOUTS;
}

/** A single panel has one layout, whatever the arrangement asked. */
export function getLayout(panels: PanelCount, arrangement: PanelArrangement = 'grid'): PanelLayout {
  const found = LAYOUTS.find((l) => l.panels === panels && (panels === 1 || l.arrangement === arrangement));
  if (!found)
    throw new Error(`There is no ${arrangement} layout with ${panels} panels; choose 1, 2, 3, 4 or 6.`);
  return found;
}

/** A rectangle on a page, in pixels. */
export interface PanelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PageGeometry {
  /** Outer white margin, as a fraction of the page's shorter side. Default 0.03. */
  margin?: number;
  /** White gutter between panels, same unit. Default 0.03. */
  gutter?: number;
}

/** Where each panel of a layout sits on a page of the given size, in reading order. */
export function layoutGeometry(
  layout: Pick<PanelLayout, 'rows'>,
  pageWidth: number,
  pageHeight: number,
  geometry: PageGeometry = {},
): PanelRect[] {
  const unit = Math.min(pageWidth, pageHeight);
  const margin = Math.round(unit * (geometry.margin ?? 0.03));
  const gutter = Math.round(unit * (geometry.gutter ?? 0.03));
  const rowCount = layout.rows.length;
  const rowHeight = (pageHeight - 2 * margin - (rowCount - 1) * gutter) / rowCount;
  const rects: PanelRect[] = [];
  layout.rows.forEach((cols, r) => {
    const colWidth = (pageWidth - 2 * margin - (cols - 1) * gutter) / cols;
    const y = Math.round(margin + r * (rowHeight + gutter));
    const y2 = Math.round(margin + r * (rowHeight + gutter) + rowHeight);
    for (let c = 0; c < cols; c++) {
      const x = Math.round(margin + c * (colWidth + gutter));
      const x2 = Math.round(margin + c * (colWidth + gutter) + colWidth);
      rects.push({ x, y, width: x2 - x, height: y2 - y });
    }
  });
  return rects;
}

export interface ComicPromptInput {
  /** What the user wrote. */
  userPrompt: string;
  style?: StylePreset;
  layout: PanelLayout;
  /** Number of reference photos sent with the request. */
  referenceCount: number;
  /** True for a refinement turn: the prompt then describes a change to the previous page. */
  refinement?: boolean;
  /** A panel redraw: which panel (1-based, reading order) is masked, when it is one of the layout's. */
  redrawPanel?: number | null;
}

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth'];

/** Describes the layout in words a model follows, one sentence per row. */
export function describeLayout(layout: Pick<PanelLayout, 'rows' | 'panels'>): string {
  const rows = layout.rows
    .map((cols, i) => `${cols} ${cols === 1 ? 'panel' : 'panels'} in row ${i + 1}`)
    .join(', ');
  const noun = layout.panels === 1 ? 'panel' : 'panels';
  return `Arrange exactly ${layout.panels} ${noun} in ${layout.rows.length} ${layout.rows.length === 1 ? 'row' : 'rows'}: ${rows}.`;
}

/** The text sent to the model: the user's words first, then style, layout and drawing rules. */
export function buildComicPrompt(input: ComicPromptInput): string {
  const parts: string[] = [];
  const userPrompt = input.userPrompt.trim();
  if (input.redrawPanel !== undefined) {
    const which = input.redrawPanel ? `panel ${input.redrawPanel}` : 'the marked area';
    parts.push(
      `Redraw only ${which} of this comic page: the transparent area of the mask. Change: ${userPrompt}`,
    );
    parts.push(
      'Keep the panel inside its borders and in the same style; leave everything outside it unchanged.',
    );
  } else if (input.refinement) {
    parts.push(`Revise the previous comic page. Change: ${userPrompt}`);
    parts.push('Keep everything else (characters, layout, style, panel order) as it was.');
  } else {
    parts.push(`Draw a comic page. Story: ${userPrompt}`);
    if (input.referenceCount > 0) {
      const which =
        input.referenceCount === 1 ? 'the attached photo' : `the ${input.referenceCount} attached photos`;
      parts.push(
        `Base the characters and places on ${which}: keep faces, hair, clothes and settings recognisable.`,
      );
    }
  }
  if (input.style) parts.push(`Style: ${input.style.prompt}`);
  parts.push(describeLayout(input.layout));
  if (input.layout.panels > 1) {
    const order = input.layout.rows.length > 1 ? 'left to right, top to bottom' : 'left to right';
    parts.push(
      `Panels read ${order} (${ORDINALS.slice(0, input.layout.panels).join(', ')}). ` +
        'Separate panels with clear, straight, pure white gutters of equal width that run edge to edge, ' +
        'with a white margin around the page; no artwork, text or balloons may cross a gutter.',
    );
  } else {
    parts.push('One panel filling the page inside a plain white margin.');
  }
  return parts.join('\n');
}
