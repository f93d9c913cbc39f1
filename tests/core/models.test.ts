// Settings → Models through the handlers, on a real data folder: the list of models is read
// once and read again when it changes (a model imported, then chosen).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildOfflineModel } from '../../scripts/models/build-offline-model';
import { type Core, createCore } from '../../src/main/core/app';
import { defaultManifestDir } from '../../src/main/core/embed/manifest';
import { RecordingNotifier, tempDir } from '../helpers/temp';

let core: Core;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  buildOfflineModel();
  const manifests = tempDir('komorebi-manifests-');
  const data = tempDir('komorebi-data-');
  cleanups.push(manifests.cleanup, data.cleanup);
  // The offline model, and a second model of the same shapes whose file is not here yet.
  const offline = JSON.parse(readFileSync(join(defaultManifestDir(), 'mobilenet-v2-offline.json'), 'utf8'));
  writeFileSync(join(manifests.dir, 'mobilenet-v2-offline.json'), JSON.stringify(offline));
  writeFileSync(
    join(manifests.dir, 'second.json'),
    JSON.stringify({ ...offline, id: 'second-model', displayName: 'Second', fileName: 'second.onnx' }),
  );
  core = await createCore({
    dataDir: data.dir,
    shell: 'test',
    notifier: new RecordingNotifier(),
    manifestDir: manifests.dir,
    modelDirs: [defaultManifestDir()],
    autoStart: false,
  });
});

afterAll(async () => {
  await core?.close();
  for (const c of cleanups) c();
});

it('shows an imported model as available at once, and uses it when chosen', async () => {
  const before = await core.handlers['models:list']({});
  expect(before.models.map((m) => [m.id, m.available, m.active])).toEqual([
    ['mobilenet-v2-offline', true, true],
    ['second-model', false, false],
  ]);
  await expect(core.handlers['models:use']({ id: 'second-model' })).rejects.toThrow(/download or import it/);

  const offlineFile = join(defaultManifestDir(), 'mobilenet-v2-offline.onnx');
  const imported = await core.handlers['models:import']({ id: 'second-model', path: offlineFile });
  expect(imported.models.find((m) => m.id === 'second-model')?.available).toBe(true);

  const used = await core.handlers['models:use']({ id: 'second-model' });
  expect(used.models.filter((m) => m.active).map((m) => m.id)).toEqual(['second-model']);
  expect((await core.handlers['vectors:status']({})).model).toBe('second-model');
});
