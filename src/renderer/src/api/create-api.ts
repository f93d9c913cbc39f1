import type { Api, ApiMethod } from '../../../shared/api';
import type { Transport } from './transport';

/**
 * The window's one way to the core. `api['folders:add']({ path })` works the same in
 * Electron (preload bridge) and in browser mode (HTTP + SSE). Built with a Proxy so the
 * renderer bundle does not pull in zod just to list method names.
 */
export function createApi(transport: Transport): Api {
  const cache = new Map<string, unknown>();
  return new Proxy({} as Api, {
    get(_target, name) {
      // Only contract names ('noun:verb') are methods; anything else (then, toJSON) is absent.
      if (typeof name !== 'string' || !name.includes(':')) return undefined;
      let fn = cache.get(name);
      if (!fn) {
        fn = (input: unknown) => transport.call(name as ApiMethod, (input ?? {}) as never);
        cache.set(name, fn);
      }
      return fn;
    },
  });
}
