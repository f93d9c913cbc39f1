import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { type Core, createCore } from '../../src/main/core/app';
import type { CoreConfig, SecretStore } from '../../src/main/core/ports';
import { type ApiInput, type ApiMethod, type ApiOutput, parseRequest } from '../../src/shared/api';
import type { Events } from '../../src/shared/events';
import type { ComicGenerationOptions, Photo } from '../../src/shared/model';
import { waitUntilSettled } from '../helpers/settle';
import { RecordingNotifier, tempDir } from '../helpers/temp';
import { type FakeOpenAI, startFakeOpenAI } from '../studio/fake-openai';

/** Keys live in memory only: what a shell's SecretStore does, minus the disk. */
export class MemorySecretStore implements SecretStore {
  readonly values = new Map<string, string>();
  async get(name: string) {
    return this.values.get(name) ?? null;
  }
  async set(name: string, value: string | null) {
    if (value === null) this.values.delete(name);
    else this.values.set(name, value);
  }
  describe() {
    return 'memory (test)';
  }
}

/** Three photos of different shapes, each with camera EXIF and GPS that must never leave the machine. */
export const PHOTOS = [
  { name: 'beach.jpg', width: 640, height: 480, colour: '#3a7bd5' },
  { name: 'portrait.jpg', width: 480, height: 640, colour: '#d53a7b' },
  { name: 'square.jpg', width: 600, height: 600, colour: '#7bd53a' },
];

export async function writePhotos(dir: string): Promise<void> {
  for (const p of PHOTOS) {
    const data = await sharp({
      create: { width: p.width, height: p.height, channels: 3, background: p.colour },
    })
      .composite([
        {
          input: Buffer.from(
            `<svg xmlns="http://www.w3.org/2000/svg" width="${p.width}" height="${p.height}"><circle cx="${p.width / 3}" cy="${p.height / 2}" r="${p.height / 5}" fill="#fff"/></svg>`,
          ),
        },
      ])
      .jpeg({ quality: 85 })
      .withExif({
        IFD0: { Make: 'TestCam', Model: 'Serial 1234' },
        IFD3: {
          GPSLatitudeRef: 'N',
          GPSLatitude: '48/1 51/1 2400/100',
          GPSLongitudeRef: 'E',
          GPSLongitude: '2/1 21/1 0/1',
        },
      })
      .toBuffer();
    await writeFile(join(dir, p.name), data);
  }
}

export const OPTIONS: ComicGenerationOptions = {
  style: 'manga',
  panels: 4,
  arrangement: 'grid',
  size: 'auto',
  quality: 'low',
  variations: 1,
};

export interface StudioHarness {
  core: Core;
  fake: FakeOpenAI;
  notifier: RecordingNotifier;
  secrets: MemorySecretStore;
  dataDir: string;
  photosDir: string;
  photos: Photo[];
  /** Calls a handler the way a shell does: the payload goes through the contract's schema first. */
  call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>>;
  /** Closes the core and opens the same data folder again, with `extra` shell settings (a folder picker). */
  reopen(extra?: Partial<CoreConfig>): Promise<void>;
  close(): Promise<void>;
}

export async function openHarness(): Promise<StudioHarness> {
  delete process.env.OPENAI_API_KEY;
  delete process.env.OPENAI_BASE_URL;
  const photos = tempDir('komorebi-studio-photos-');
  const data = tempDir('komorebi-studio-data-');
  await writePhotos(photos.dir);
  const fake = await startFakeOpenAI();
  const secrets = new MemorySecretStore();
  const notifier = new RecordingNotifier();
  const open = (extra: Partial<CoreConfig> = {}) =>
    createCore({ dataDir: data.dir, shell: 'test', notifier, secrets, ...extra });
  const h: StudioHarness = {
    core: await open(),
    fake,
    notifier,
    secrets,
    dataDir: data.dir,
    photosDir: photos.dir,
    photos: [],
    call: (method, input) =>
      (h.core.handlers[method] as (i: unknown) => Promise<never>)(parseRequest(method, input)),
    reopen: async (extra) => {
      await h.core.close();
      h.core = await open(extra);
    },
    close: async () => {
      await h.core.close();
      await fake.close();
      photos.cleanup();
      data.cleanup();
    },
  };
  await h.call('folders:add', { path: photos.dir });
  await waitUntilSettled(h.core);
  const page = await h.call('photos:list', { offset: 0, limit: 100 });
  h.photos = PHOTOS.map((p) => page.items.find((x) => x.name === p.name)!);
  await h.call('studio:settings', { referenceMaxSide: 256 });
  await h.call('studio:set-key', { key: fake.apiKey, baseUrl: fake.baseURL });
  return h;
}

type Progress = Events['studio:progress'];

/** Progress events of one version, in order. */
export function progressOf(n: RecordingNotifier, versionId: number): Progress[] {
  return n.of('studio:progress').filter((e) => e.versionId === versionId);
}

/** Resolves when every version has sent its final state. */
export async function waitForEnd(n: RecordingNotifier, versionIds: number[]): Promise<Progress[]> {
  for (;;) {
    const ends = versionIds.map((id) => progressOf(n, id).find((e) => e.state !== 'generating'));
    if (ends.every(Boolean)) return ends as Progress[];
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function waitUntil(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 20));
}
