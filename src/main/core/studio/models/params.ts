/**
 * What to send a model: only the parameters its family takes, adapted where a wish does not
 * fit (a size it cannot draw, a quality it does not have). A model the catalog does not know
 * gets no optional parameters at all, so it still works with whatever the service defaults to.
 */
import { type ImageFamily, type ImageQuality, imageFamilyOf, type SizeRule } from './catalog';

export interface ImageWishes {
  size: string;
  quality: ImageQuality;
  inputFidelity?: 'high' | 'low';
  /** Partial images while streaming, 0..3. */
  partialImages?: number;
  background?: 'transparent' | 'opaque' | 'auto';
}

export interface ImageParams {
  size?: string;
  quality?: ImageQuality;
  input_fidelity?: 'high' | 'low';
  partial_images?: number;
  background?: 'transparent' | 'opaque' | 'auto';
  /** What was changed or left out, in words (for logs and tests). */
  adapted: string[];
}

export function imageParamsFor(model: string | undefined, wish: ImageWishes): ImageParams {
  const family = model ? imageFamilyOf(model) : undefined;
  if (!family) {
    return {
      adapted: [
        `${model ?? 'the service default'} is not in Komorebi's model table: no optional parameters sent`,
      ],
    };
  }
  const out: ImageParams = { adapted: [] };
  const size = fitSize(family.sizes, wish.size);
  out.size = size;
  if (size !== wish.size) out.adapted.push(`size ${wish.size} -> ${size}`);
  out.quality = fitQuality(family, wish.quality);
  if (out.quality !== wish.quality) out.adapted.push(`quality ${wish.quality} -> ${out.quality}`);
  if (wish.inputFidelity) {
    if (family.inputFidelity) out.input_fidelity = wish.inputFidelity;
    else out.adapted.push('input_fidelity left out (the model does not take it)');
  }
  if (wish.partialImages !== undefined) {
    out.partial_images = Math.max(0, Math.min(family.maxPartialImages, Math.floor(wish.partialImages)));
  }
  if (wish.background) {
    if (wish.background !== 'transparent' || family.transparentBackground) out.background = wish.background;
    else out.adapted.push('transparent background left out (the model has none)');
  }
  return out;
}

function fitQuality(family: ImageFamily, q: ImageQuality): ImageQuality {
  if (family.qualities.includes(q)) return q;
  return family.qualities.includes('high') ? 'high' : 'auto';
}

/** Why `size` is not one this rule takes; null when it is. */
export function sizeProblem(rule: SizeRule, size: string): string | null {
  if (size === 'auto') return null;
  if (rule.kind === 'fixed') {
    return rule.sizes.includes(size) ? null : `takes only ${rule.sizes.join(', ')}`;
  }
  const m = /^(\d+)x(\d+)$/.exec(size);
  if (!m) return 'is not WIDTHxHEIGHT';
  const w = Number(m[1]);
  const h = Number(m[2]);
  if (w % rule.multipleOf || h % rule.multipleOf)
    return `needs both sides in multiples of ${rule.multipleOf}`;
  if (Math.max(w, h) > rule.maxEdge) return `has a longest side of at most ${rule.maxEdge}`;
  if (Math.max(w, h) / Math.min(w, h) > rule.maxRatio) return `needs a ratio of at most ${rule.maxRatio}:1`;
  if (w * h < rule.minPixels || w * h > rule.maxPixels) {
    return `needs ${rule.minPixels.toLocaleString('en')} to ${rule.maxPixels.toLocaleString('en')} pixels`;
  }
  return null;
}

/**
 * The size to ask for: `wanted` when the rule takes it; else the closest shape it does take
 * (fixed sizes: same orientation; custom: rounded to the multiple and clamped into the limits).
 */
export function fitSize(rule: SizeRule, wanted: string): string {
  if (!sizeProblem(rule, wanted)) return wanted;
  const m = /^(\d+)x(\d+)$/.exec(wanted);
  if (!m) return 'auto';
  let w = Number(m[1]);
  let h = Number(m[2]);
  if (rule.kind === 'fixed') {
    const shape = w === h ? 'square' : w > h ? 'wide' : 'tall';
    return rule.sizes.find((s) => shapeOf(s) === shape) ?? 'auto';
  }
  const ratio = Math.min(rule.maxRatio, Math.max(1 / rule.maxRatio, w / h));
  const pixels = Math.min(rule.maxPixels, Math.max(rule.minPixels, w * h));
  w = Math.sqrt(pixels * ratio);
  h = w / ratio;
  const scale = Math.min(1, rule.maxEdge / Math.max(w, h));
  const snap = (x: number) =>
    Math.max(rule.multipleOf, Math.round((x * scale) / rule.multipleOf) * rule.multipleOf);
  for (const [sw, sh] of [
    [snap(w), snap(h)],
    [snap(w) - rule.multipleOf, snap(h)],
    [snap(w), snap(h) - rule.multipleOf],
  ]) {
    const candidate = `${sw}x${sh}`;
    if (!sizeProblem(rule, candidate)) return candidate;
  }
  return 'auto';
}

function shapeOf(size: string): 'square' | 'wide' | 'tall' | 'auto' {
  const m = /^(\d+)x(\d+)$/.exec(size);
  if (!m) return 'auto';
  const [w, h] = [Number(m[1]), Number(m[2])];
  return w === h ? 'square' : w > h ? 'wide' : 'tall';
}

/** The page sizes the Studio offers for a model: the layouts' three, plus larger ones where it can draw them. */
export function offeredSizes(model: string | undefined): string[] {
  const base = ['auto', '1024x1024', '1536x1024', '1024x1536'];
  const family = model ? imageFamilyOf(model) : undefined;
  if (family?.sizes.kind !== 'custom') return base;
  return [...base, '2048x2048', '2304x1536', '1536x2304', '3840x2160', '2160x3840'];
}

export function offeredQualities(model: string | undefined): ImageQuality[] {
  const family = model ? imageFamilyOf(model) : undefined;
  return family ? [...family.qualities] : ['auto'];
}
