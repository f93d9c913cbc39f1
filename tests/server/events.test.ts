import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fixture, startFixture } from './helpers';

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(() => f.cleanup());

/** Opens the event stream and collects its text until `until` matches. */
function listen(until: RegExp, onOpen: () => void): Promise<{ status: number; type: string; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: f.port, path: `/api/events?token=${f.token}`, agent: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          if (text.includes(': connected') && !text.includes('event:')) onOpen();
          if (until.test(text)) {
            req.destroy();
            resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), text });
          }
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('GET /api/events', () => {
  it('delivers an emitted event as an SSE frame', async () => {
    const payload = { added: 2, removed: 0, updated: 1, folderIds: [1] };
    const got = await listen(/event: library:changed\ndata: .*\n\n/, () =>
      f.events.emit('library:changed', payload),
    );
    expect(got.status).toBe(200);
    expect(got.type).toMatch(/^text\/event-stream/);
    const frame = /event: library:changed\ndata: (.*)\n\n/.exec(got.text);
    expect(JSON.parse(frame![1]!)).toEqual(payload);
  });

  it('sends heartbeat comments and forgets a client that closed', async () => {
    const got = await listen(/: ping\n\n/, () => {});
    expect(got.text).toContain(': ping');
    await new Promise((r) => setTimeout(r, 100));
    expect(f.events.clientCount).toBe(0);
    // Emitting with nobody listening is harmless.
    f.events.emit('library:changed', { added: 0, removed: 0, updated: 0, folderIds: [] });
  });
});
