// The model table, row by row: what each family takes is what Komorebi sends it.

import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  IMAGE_FAMILIES,
  imageFamilyOf,
  MAIN_FAMILIES,
  mainFamilyOf,
} from '../../src/main/core/studio/models/catalog';
import { fitReferenceBytes, inputCountProblem } from '../../src/main/core/studio/models/limits';
import {
  fitSize,
  imageParamsFor,
  offeredQualities,
  offeredSizes,
  sizeProblem,
} from '../../src/main/core/studio/models/params';

/** What the reference says of each image family (see the sources in catalog.ts). */
const EXPECTED: Record<
  string,
  {
    fidelity: boolean;
    custom: boolean;
    transparent: boolean;
    extraQualities: boolean;
    priced: boolean;
    shutdown?: string;
  }
> = {
  'gpt-image-2.6-sunburst': {
    fidelity: false,
    custom: true,
    transparent: true,
    extraQualities: true,
    priced: true,
  },
  'gpt-image-2.6-flare': {
    fidelity: false,
    custom: true,
    transparent: true,
    extraQualities: true,
    priced: true,
  },
  'gpt-image-2.5-sunburst': {
    fidelity: false,
    custom: true,
    transparent: true,
    extraQualities: false,
    priced: true,
  },
  'gpt-image-2.5-flare': {
    fidelity: false,
    custom: true,
    transparent: true,
    extraQualities: false,
    priced: true,
  },
  'gpt-image-2': {
    fidelity: false,
    custom: true,
    transparent: false,
    extraQualities: false,
    priced: true,
    shutdown: '2027-02-10',
  },
  'gpt-image-1.5': {
    fidelity: true,
    custom: false,
    transparent: true,
    extraQualities: false,
    priced: true,
    shutdown: '2026-12-01',
  },
  'chatgpt-image-latest': {
    fidelity: false,
    custom: false,
    transparent: true,
    extraQualities: false,
    priced: false,
    shutdown: '2026-12-01',
  },
  'gpt-image-1-mini': {
    fidelity: false,
    custom: false,
    transparent: true,
    extraQualities: false,
    priced: true,
    shutdown: '2026-12-01',
  },
  'gpt-image-1': {
    fidelity: true,
    custom: false,
    transparent: true,
    extraQualities: false,
    priced: true,
    shutdown: '2026-10-23',
  },
};

const wish = {
  size: '1536x1024',
  quality: 'max' as const,
  inputFidelity: 'high' as const,
  partialImages: 5,
  background: 'transparent' as const,
};

describe('the image model table', () => {
  it('has a row for every family the reference names, and nothing else', () => {
    expect(IMAGE_FAMILIES.flatMap((f) => f.ids).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  describe.each(Object.entries(EXPECTED))('%s', (model, e) => {
    const family = imageFamilyOf(model)!;
    const sent = imageParamsFor(model, wish);

    it('sends input_fidelity only if it takes it', () => {
      expect(family.inputFidelity).toBe(e.fidelity);
      expect(sent.input_fidelity).toBe(e.fidelity ? 'high' : undefined);
    });

    it('takes the sizes of its family, and gets the nearest one it takes otherwise', () => {
      expect(family.sizes.kind).toBe(e.custom ? 'custom' : 'fixed');
      for (const size of ['1024x1024', '1536x1024', '1024x1536', 'auto'])
        expect(sizeProblem(family.sizes, size)).toBeNull();
      if (e.custom) {
        expect(sizeProblem(family.sizes, '2048x1152')).toBeNull();
        expect(sizeProblem(family.sizes, '3840x2160')).toBeNull(); // 8,294,400 pixels: the maximum
        expect(sizeProblem(family.sizes, '1000x1000')).toMatch(/multiples of 16/);
        expect(sizeProblem(family.sizes, '4096x1024')).toMatch(/at most 3840/);
        expect(sizeProblem(family.sizes, '3072x960')).toMatch(/ratio/);
        expect(sizeProblem(family.sizes, '768x768')).toMatch(/pixels/);
        expect(fitSize(family.sizes, '1000x1000')).toBe('1008x1008');
        expect(sizeProblem(family.sizes, fitSize(family.sizes, '3900x2000'))).toBeNull();
        expect(offeredSizes(model)).toContain('2048x2048');
      } else {
        expect(sizeProblem(family.sizes, '2048x1152')).toMatch(/takes only/);
        expect(fitSize(family.sizes, '2048x1152')).toBe('1536x1024');
        expect(fitSize(family.sizes, '1152x2048')).toBe('1024x1536');
        expect(offeredSizes(model)).toEqual(['auto', '1024x1024', '1536x1024', '1024x1536']);
      }
    });

    it('has the quality levels of its family; one it lacks becomes high', () => {
      const levels = e.extraQualities
        ? ['low', 'medium', 'high', 'xhigh', 'max', 'auto']
        : ['low', 'medium', 'high', 'auto'];
      expect(offeredQualities(model)).toEqual(levels);
      expect(sent.quality).toBe(e.extraQualities ? 'max' : 'high');
    });

    it('asks for a transparent background only where there is one', () => {
      expect(family.transparentBackground).toBe(e.transparent);
      expect(sent.background).toBe(e.transparent ? 'transparent' : undefined);
      expect(imageParamsFor(model, { ...wish, background: 'opaque' }).background).toBe('opaque');
    });

    it('takes at most 16 input images, the page being changed included, and streams up to 3 partial images', () => {
      expect(inputCountProblem(model, 16, 0)).toBeNull();
      expect(inputCountProblem(model, 16, 1)).toMatch(/at most 16 images.*at most 15 photos.*Exclude 1/);
      expect(sent.partial_images).toBe(3);
      expect(family.mask).toBe(true);
    });

    it('has its own price (or none) and its known shutdown date', () => {
      expect(family.price !== null).toBe(e.priced);
      expect(family.shutdown).toBe(e.shutdown);
    });
  });

  it('gives a dated snapshot its family, and never another family to a look-alike name', () => {
    expect(imageFamilyOf('gpt-image-2-2026-04-21')).toBe(imageFamilyOf('gpt-image-2'));
    expect(imageFamilyOf('gpt-image-1.5-2025-12-16')).toBe(imageFamilyOf('gpt-image-1.5'));
    expect(imageFamilyOf('gpt-image-1-mini')).not.toBe(imageFamilyOf('gpt-image-1'));
    for (const name of [
      'gpt-image-3',
      'gpt-image-1-ultra',
      'gpt-image-2.6',
      'gpt-image-2.6-sunburst-preview',
    ]) {
      expect(imageFamilyOf(name), name).toBeUndefined();
    }
  });

  it('sends a model it does not know no optional parameters at all', () => {
    expect(imageParamsFor('gpt-image-3', wish)).toEqual({
      adapted: ["gpt-image-3 is not in Komorebi's model table: no optional parameters sent"],
    });
    expect(offeredQualities('gpt-image-3')).toEqual(['auto']);
    expect(inputCountProblem('gpt-image-3', 40, 1)).toBeNull(); // the service will say
  });
});

describe('the main model table', () => {
  it('knows which models can call the image_generation tool, their prices and shutdown dates', () => {
    for (const f of MAIN_FAMILIES) {
      expect(f.imageTool, f.ids.join()).toBe(true);
      expect(f.price, f.ids.join()).not.toBeNull();
    }
    expect(mainFamilyOf('gpt-4o-2024-11-20')?.shutdown).toBe('2027-01-14');
    expect(mainFamilyOf('gpt-4o-mini')).not.toBe(mainFamilyOf('gpt-4o'));
    expect(mainFamilyOf('gpt-5')?.shutdown).toBe('2026-12-11');
    expect(mainFamilyOf('gpt-6-luna')?.shutdown).toBeUndefined();
    expect(mainFamilyOf('text-embedding-3-large')).toBeUndefined();
  });
});

describe('references a model cannot take as they are', () => {
  it('re-encodes one that is too large until it fits, and leaves the others alone', async () => {
    const noise = await sharp({
      create: {
        width: 600,
        height: 450,
        channels: 4,
        background: '#000',
        noise: { type: 'gaussian', mean: 128, sigma: 60 },
      },
    })
      .png()
      .toBuffer();
    const ref = { buffer: noise, mime: 'image/png' as const, width: 600, height: 450 };
    expect(await fitReferenceBytes(ref, noise.length)).toBe(ref);
    const fitted = await fitReferenceBytes(ref, 60_000);
    expect(fitted.buffer.length).toBeLessThanOrEqual(60_000);
    expect(fitted.mime).toBe('image/jpeg');
    const meta = await sharp(fitted.buffer).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', fitted.width, fitted.height]);
  });
});
