import exifr from 'exifr';
import sharp, { type Metadata } from 'sharp';
import { ACCEPTED_FORMATS, isHeicName } from './formats';

/** sharp's own default for limitInputPixels (16383 x 16383). */
export const DEFAULT_MAX_PIXELS = 268_402_689;

export interface ImageInfo {
  width: number;
  height: number;
  format: string;
  takenAt: number | null;
  camera: string | null;
  lens: string | null;
  lat: number | null;
  lon: number | null;
  orientation: number | null;
}

/** A file that is not a usable photo, with the reason the user reads in Activity. */
export class RejectedFile extends Error {
  constructor(
    readonly status: 'bad' | 'unsupported',
    reason: string,
  ) {
    super(reason);
  }
}

export const HEIC_UNSUPPORTED = 'HEIC cannot be decoded on this system';
export const NOT_AN_IMAGE = 'Not an image: the file content is not a supported image format';
export const CORRUPT = 'The image data is truncated or corrupt';

/**
 * Reads dimensions and format from the header (no decode) and EXIF. Trusts the content,
 * not the extension: a PNG named .jpg is a PNG. Refuses decompression bombs before any
 * pixel is decoded.
 */
export async function readImageInfo(path: string, maxPixels: number): Promise<ImageInfo> {
  let meta: Metadata;
  try {
    meta = await sharp(path, { limitInputPixels: false }).metadata();
  } catch (err) {
    if (isHeicName(path)) throw new RejectedFile('unsupported', HEIC_UNSUPPORTED);
    throw new RejectedFile('bad', describeDecodeError(err));
  }
  const format = meta.format ?? '';
  if (!ACCEPTED_FORMATS.has(format) || !meta.width || !meta.height)
    throw new RejectedFile('bad', NOT_AN_IMAGE);
  if (meta.compression === 'hevc' && !canDecodeHeic())
    throw new RejectedFile('unsupported', HEIC_UNSUPPORTED);
  const pixels = meta.width * (meta.pageHeight ?? meta.height);
  if (pixels > maxPixels) {
    throw new RejectedFile(
      'bad',
      `Refused as a possible image bomb: it declares ${meta.width} x ${meta.height} pixels (${mp(pixels)} MP), over the limit of ${mp(maxPixels)} MP`,
    );
  }
  const exif = await readExif(path);
  return {
    width: meta.width,
    height: meta.height,
    format: meta.compression === 'av1' ? 'avif' : format,
    orientation: meta.orientation ?? exif.orientation,
    takenAt: exif.takenAt,
    camera: exif.camera,
    lens: exif.lens,
    lat: exif.lat,
    lon: exif.lon,
  };
}

/** Turns sharp/libvips messages into sentences for the Activity view. */
export function describeDecodeError(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  if (/unsupported image format|bad seek|not a known file format/i.test(msg)) return NOT_AN_IMAGE;
  if (/pixel limit/i.test(msg))
    return 'Refused as a possible image bomb: it declares more pixels than allowed';
  if (/premature end|truncat|corrupt|unexpected end|invalid|bad|error|read/i.test(msg))
    return `${CORRUPT} (${msg.trim()})`;
  return `The image cannot be decoded (${msg.trim()})`;
}

/** sharp's prebuilt libvips reads HEIF containers but only decodes AVIF; a custom build may do HEVC too. */
function canDecodeHeic(): boolean {
  const suffixes = (sharp.format.heif?.input as { fileSuffix?: string[] } | undefined)?.fileSuffix ?? [];
  return suffixes.includes('.heic');
}

function mp(pixels: number): string {
  return (pixels / 1e6).toFixed(1);
}

interface ExifFields {
  takenAt: number | null;
  camera: string | null;
  lens: string | null;
  lat: number | null;
  lon: number | null;
  orientation: number | null;
}

/** EXIF is a bonus: a photo with broken EXIF is still a photo. */
async function readExif(path: string): Promise<ExifFields> {
  const none: ExifFields = {
    takenAt: null,
    camera: null,
    lens: null,
    lat: null,
    lon: null,
    orientation: null,
  };
  let tags: Record<string, unknown> | undefined;
  try {
    tags = await exifr.parse(path, {
      tiff: true,
      exif: true,
      gps: true,
      ifd1: false,
      xmp: false,
      icc: false,
      iptc: false,
      translateValues: false,
      pick: [
        'DateTimeOriginal',
        'CreateDate',
        'Make',
        'Model',
        'LensModel',
        'Orientation',
        'GPSLatitude',
        'GPSLatitudeRef',
        'GPSLongitude',
        'GPSLongitudeRef',
      ],
    });
  } catch {
    return none;
  }
  if (!tags) return none;
  const date = asDate(tags.DateTimeOriginal) ?? asDate(tags.CreateDate);
  const make = asText(tags.Make);
  const model = asText(tags.Model);
  const camera =
    make && model
      ? model.toLowerCase().startsWith(make.toLowerCase())
        ? model
        : `${make} ${model}`
      : (model ?? make);
  const lat = typeof tags.latitude === 'number' && Number.isFinite(tags.latitude) ? tags.latitude : null;
  const lon = typeof tags.longitude === 'number' && Number.isFinite(tags.longitude) ? tags.longitude : null;
  return {
    takenAt: date,
    camera,
    lens: asText(tags.LensModel),
    lat,
    lon,
    orientation: typeof tags.Orientation === 'number' ? tags.Orientation : null,
  };
}

function asDate(v: unknown): number | null {
  if (v instanceof Date && Number.isFinite(v.getTime())) return v.getTime();
  return null;
}

function asText(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const t = v.replace(/\0/g, '').trim();
  return t.length > 0 ? t : null;
}
