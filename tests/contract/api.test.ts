// Every request of the contract refuses a bad payload with a clear error before any
// handler sees it (the shells call parseRequest on every IPC message and HTTP body).
import { describe, expect, it } from 'vitest';
import { apiMethods, isApiMethod, parseRequest, requests } from '../../src/shared/api';
import { BadRequestError } from '../../src/shared/errors';

const junk: unknown[] = [
  { unexpected: true },
  'a string',
  42,
  [1, 2, 3],
  { id: -1, path: 7, ids: 'x', config: null, prompt: 5, key: 7 },
];

describe('the contract', () => {
  it.each(apiMethods)('%s refuses bad payloads with its name and the reason', (method) => {
    for (const payload of junk) {
      let error: unknown;
      try {
        parseRequest(method, payload);
      } catch (e) {
        error = e;
      }
      expect(error, `${method} accepted ${JSON.stringify(payload)}`).toBeInstanceOf(BadRequestError);
      expect((error as Error).message).toContain(method);
      expect((error as Error).message.length).toBeGreaterThan(`Invalid input for ${method}: `.length);
    }
  });

  it('knows its methods and nothing else', () => {
    expect(isApiMethod('folders:add')).toBe(true);
    for (const name of ['__proto__', 'constructor', 'toString', 'folders:drop', '']) {
      expect(isApiMethod(name)).toBe(false);
    }
    expect(Object.keys(requests)).toEqual(apiMethods);
  });

  it('accepts good payloads and fills defaults', () => {
    expect(parseRequest('photos:list', {})).toEqual({ offset: 0, limit: 200 });
    expect(parseRequest('folders:add', { path: '  /photos  ' })).toEqual({ path: '/photos' });
    expect(parseRequest('photos:similar', { id: 3 })).toMatchObject({ id: 3, k: 60, minScore: 0 });
    expect(() => parseRequest('photos:trash', { ids: [1], confirmed: true })).not.toThrow();
    expect(() =>
      parseRequest('vectors:configure', { config: { kind: 'milvus', uri: 'http://localhost:19530' } }),
    ).not.toThrow();
  });

  it('refuses values that are out of range', () => {
    expect(() => parseRequest('photos:list', { limit: 100_000 })).toThrow(/limit/);
    expect(() => parseRequest('photos:similar', { id: 1, minScore: 2 })).toThrow(/minScore/);
    expect(() => parseRequest('studio:create', { photoIds: [] })).toThrow(/photoIds/);
    expect(() => parseRequest('studio:set-key', { key: null, baseUrl: 'javascript:alert(1)' })).toThrow(
      /baseUrl/,
    );
    expect(() => parseRequest('vectors:configure', { config: { kind: 'postgres' } })).toThrow(/config/);
  });
});
