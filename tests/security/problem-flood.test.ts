// Attack: flood the window with events by dropping thousands of broken files into a watched
// folder. Every problem must still be listed; the events that tell the window are batched.
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../ingest/helpers';
import { type BrowserCore, startBrowserCore } from './browser-core';

const BROKEN = 1000;
let app: BrowserCore;
const frames: { at: number; more: number }[] = [];
let stream: { destroy(): void } | null = null;

beforeAll(async () => {
  app = await startBrowserCore();
  // The window's event stream, read as the browser reads it.
  await new Promise<void>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: app.server.port, path: `/api/events?token=${app.token}`, agent: false },
      (res) => {
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          if (buffer.includes(': connected')) resolve();
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const m = /^event: activity:problem\ndata: (.*)$/m.exec(frame);
            if (m) frames.push({ at: Date.now(), more: (JSON.parse(m[1]!) as { more?: number }).more ?? 0 });
            end = buffer.indexOf('\n\n');
          }
        });
      },
    );
    req.on('error', reject);
    req.end();
    stream = req;
  });
}, 60_000);
afterAll(async () => {
  stream?.destroy();
  await app?.close();
});

describe('a folder of broken files', () => {
  it(`lists all ${BROKEN} problems while the window gets a few batched events that count every one`, async () => {
    const folder = join(app.root, 'Broken');
    mkdirSync(folder);
    const old = new Date(Date.now() - 3_600_000); // settled files: judged at once, not re-checked later
    for (let i = 0; i < BROKEN; i++) {
      const file = join(folder, `broken-${i}.jpg`);
      writeFileSync(file, `not a photo ${i}`);
      utimesSync(file, old, old);
    }
    expect((await app.call('folders:add', { path: folder })).status).toBe(200);
    const problems = async () =>
      JSON.parse((await app.call('library:problems', { limit: 1 })).text).total as number;
    await waitFor(async () => (await problems()) === BROKEN, `${BROKEN} problems listed`, 120_000);
    const told = () => frames.reduce((n, f) => n + 1 + f.more, 0);
    await waitFor(() => told() === BROKEN, 'every problem counted in the events', 10_000);
    // At most one event per second after the first (the batching window), far fewer than files.
    const span = frames.at(-1)!.at - frames[0]!.at;
    expect(frames.length).toBeLessThanOrEqual(2 + Math.floor(span / 1000) + 1);
    expect(frames.length).toBeLessThan(BROKEN / 10);
  }, 180_000);
});
