import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiHandlers } from '../../src/shared/api';
import { type Fixture, send, startFixture } from './helpers';

let f: Fixture;
const seen: unknown[] = [];
beforeAll(async () => {
  const handlers: Partial<ApiHandlers> = {
    'photos:list': async (input) => {
      seen.push(input);
      return { total: 0, offset: input.offset, items: [] };
    },
    'folders:add': async (input) => {
      throw new Error(`The folder ${input.path} does not exist. Check the path and try again.`);
    },
    'studio:export': async () => {
      throw Object.assign(new Error('Not exported: a file already exists in /out (a.png).'), {
        name: 'ExportConflictError',
      });
    },
  };
  f = await startFixture(handlers);
});
afterAll(() => f.cleanup());

const call = (method: string, body?: string, headers: Record<string, string> = {}) =>
  send(f.port, `/api/${method}`, {
    method: 'POST',
    headers: { 'x-komorebi-token': f.token, 'content-type': 'application/json', ...headers },
    body,
  });

describe('POST /api/<method>', () => {
  it('returns the handler output with the input validated and defaulted', async () => {
    const reply = await call('photos:list', JSON.stringify({ offset: 5 }));
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(reply.text)).toEqual({ total: 0, offset: 5, items: [] });
    expect(seen.at(-1)).toEqual({ offset: 5, limit: 200 });
  });

  it('accepts an empty body as {} and a percent-encoded method name', async () => {
    expect((await call('photos:list')).status).toBe(200);
    expect((await call('photos%3Alist', '{}')).status).toBe(200);
  });

  it('answers bad JSON with 400 BadRequestError', async () => {
    const reply = await call('photos:list', '{"offset": ');
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.text).error.name).toBe('BadRequestError');
  });

  it('answers a schema failure with 400 and the reason', async () => {
    const reply = await call('photos:list', JSON.stringify({ offset: -1, limit: 'many', evil: true }));
    expect(reply.status).toBe(400);
    const { error } = JSON.parse(reply.text);
    expect(error.name).toBe('BadRequestError');
    expect(error.message).toContain('photos:list');
    expect(error.message).toContain('offset');
    expect(error.message).toContain('limit');
  });

  it('answers an export that would replace files with 409 and the error name the window asks on', async () => {
    const reply = await call(
      'studio:export',
      JSON.stringify({ versionIds: [1], formats: ['page'], folder: '/out' }),
    );
    expect(reply.status).toBe(409);
    expect(JSON.parse(reply.text).error).toEqual({
      name: 'ExportConflictError',
      message: 'Not exported: a file already exists in /out (a.png).',
    });
  });

  it('answers an unknown method with 404', async () => {
    for (const method of ['photos:delete-everything', 'constructor', '__proto__', 'hasOwnProperty']) {
      const reply = await call(method, '{}');
      expect(reply.status, method).toBe(404);
      expect(JSON.parse(reply.text).error.name).toBe('NotFoundError');
    }
  });

  it('answers a throwing handler with 500 and its readable message', async () => {
    const reply = await call('folders:add', JSON.stringify({ path: '/nowhere' }));
    expect(reply.status).toBe(500);
    expect(JSON.parse(reply.text)).toEqual({
      error: { name: 'Error', message: 'The folder /nowhere does not exist. Check the path and try again.' },
    });
  });

  it('refuses GET, form bodies and oversized bodies without crashing', async () => {
    const get = await send(f.port, '/api/photos:list', { headers: { 'x-komorebi-token': f.token } });
    expect(get.status).toBe(405);
    const form = await call('photos:list', 'offset=1', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(415);
    const huge = await call('folders:add', JSON.stringify({ path: 'x'.repeat(2 * 1024 * 1024) }));
    expect(huge.status).toBe(413);
    // Still alive afterwards.
    expect((await call('photos:list', '{}')).status).toBe(200);
  });
});
