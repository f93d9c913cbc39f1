import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { PreparedReference } from '../../src/main/core/studio/engine';
import { prepareReference } from '../../src/main/core/studio/references';

const XMP =
  '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
  '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Jane Private</dc:creator>' +
  '</rdf:Description></rdf:RDF></x:xmpmeta>';

/** A 3000x2000 camera-like photo, stored sideways (orientation 6), with GPS, camera EXIF, a P3 ICC profile and XMP. */
export async function writeGeotaggedPhoto(path: string, width = 3000, height = 2000): Promise<void> {
  const noise = await sharp({
    create: {
      width: 64,
      height: 64,
      channels: 3,
      background: '#000',
      noise: { type: 'gaussian', mean: 128, sigma: 50 },
    },
  })
    .png()
    .toBuffer();
  const buf = await sharp({ create: { width, height, channels: 3, background: '#4a8' } })
    .composite([{ input: noise, left: 10, top: 10 }])
    .jpeg({ quality: 90 })
    .withExif({
      IFD0: { Make: 'TestCam', Model: 'Secret Serial 1234' },
      IFD2: { DateTimeOriginal: '2024:06:01 12:00:00' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '48/1 51/1 2400/100',
        GPSLongitudeRef: 'E',
        GPSLongitude: '2/1 21/1 0/1',
      },
    })
    .withMetadata({ orientation: 6 })
    .withIccProfile('p3')
    .withXmp(XMP)
    .toBuffer();
  await writeFile(path, buf);
}

/** Two geotagged camera photos prepared as the app would send them. */
export async function preparedReferences(
  dir: string,
  count = 2,
  maxSide = 1024,
): Promise<PreparedReference[]> {
  const refs: PreparedReference[] = [];
  for (let i = 0; i < count; i++) {
    const path = join(dir, `photo-${i + 1}.jpg`);
    await writeGeotaggedPhoto(path, 2400 + i * 200, 1600);
    refs.push(await prepareReference(path, { maxSide }));
  }
  return refs;
}

/** The colour at a point of a PNG, to tell pages of different turns apart. */
export async function pixelAt(png: Buffer, x: number, y: number): Promise<[number, number, number]> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * info.channels;
  return [data[i]!, data[i + 1]!, data[i + 2]!];
}
