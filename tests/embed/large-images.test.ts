import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { loadManifest } from '../../src/main/core/embed/manifest';
import { loadResizedRgb } from '../../src/main/core/embed/preprocess';
import { photo } from '../faults/harness/photos';

const resnet = loadManifest('resources/models/resnet50.json');

const meanAbsDiff = (a: Buffer, b: Buffer) => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
};

describe('very large images', () => {
  it('are shrunk before they are turned upright, and give the picture an upright copy gives', async () => {
    // 7,000 x 6,000 (42 MP, over the large-image threshold) of coloured blocks, stored sideways (orientation 6).
    const big = await sharp(await photo(4242, 70, 60))
      .resize(7000, 6000, { kernel: 'nearest' })
      .withMetadata({ orientation: 6 })
      .png({ compressionLevel: 1 })
      .toBuffer();
    const upright = await sharp(big).rotate().resize(1400).png().toBuffer();
    const viaLarge = await loadResizedRgb(big, resnet);
    const viaUpright = await loadResizedRgb(upright, resnet);
    expect(meanAbsDiff(viaLarge, viaUpright)).toBeLessThan(2);
    // And not the sideways picture: that one differs a lot.
    const sideways = await loadResizedRgb(await sharp(big).resize(1400).png().toBuffer(), resnet);
    expect(meanAbsDiff(viaLarge, sideways)).toBeGreaterThan(20);
  });
});
