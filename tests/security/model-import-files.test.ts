// Attack: `models:import` with `/dev/zero`, a FIFO or a device behind a model file name. Reading
// /dev/zero never ends and opening a FIFO waits for a writer, each holding one of libuv's four
// file threads for good; four such calls and no photo, preview or page could be read again.
// Through browser mode's HTTP API: each is refused at once, and the app still reads files.
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send } from '../server/helpers';
import { type BrowserCore, onePhotoLibrary, startBrowserCore } from './browser-core';

let app: BrowserCore;

beforeAll(async () => {
  app = await startBrowserCore({ autoStart: false, library: onePhotoLibrary('walk.jpg') });
}, 120_000);
afterAll(() => app?.close());

describe('models:import reads only regular model files', () => {
  it('refuses /dev/zero, devices and FIFOs at once, eight at a time, and files are still read', async () => {
    const dir = join(app.root, 'traps');
    mkdirSync(dir);
    const paths = ['/dev/zero', '/dev/urandom'];
    for (let i = 0; i < 3; i++) {
      symlinkSync('/dev/zero', join(dir, `zero-${i}.onnx`));
      execFileSync('mkfifo', [join(dir, `pipe-${i}.safetensors`)]);
      paths.push(join(dir, `zero-${i}.onnx`), join(dir, `pipe-${i}.safetensors`));
    }
    const started = Date.now();
    const replies = await Promise.all(
      paths.map((path) => app.call('models:import', { id: 'resnet50-a1-in1k', path })),
    );
    for (const [i, reply] of replies.entries()) {
      expect(reply.status, `${paths[i]}: ${reply.text}`).toBe(422);
      expect(JSON.parse(reply.text).error.message).toMatch(
        /is not a model file: choose a file ending in|is not a regular file \(it is a (device|pipe \(FIFO\))\)/,
      );
    }
    expect(Date.now() - started).toBeLessThan(30_000);
    // The file threads are free: the original photo is read from disk and served, several times over.
    const folder = JSON.parse((await app.call('folders:list')).text)[0] as { id: number };
    const reads = await Promise.all(
      Array.from({ length: 8 }, () =>
        send(app.server.port, `/media/folder/${folder.id}/walk.jpg?token=${app.token}`),
      ),
    );
    for (const r of reads) expect(r.status).toBe(200);
  });
});
