import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import type { PreparedReference } from '../../src/main/core/studio/engine';
import { type FakeOpenAI, startFakeOpenAI } from './fake-openai';
import { preparedReferences } from './fixtures';

/** Every request a test sent matched OpenAI's OpenAPI description; the list is cleared for the next test. */
export function expectConformingRequests(fake: FakeOpenAI): void {
  const seen = fake.violations.splice(0);
  expect(seen, 'requests that do not match the OpenAPI description').toEqual([]);
}

export interface EngineSetup {
  fake: FakeOpenAI;
  refs: PreparedReference[];
}

/**
 * For one describe block of engine tests: a fake OpenAI server and `count` prepared
 * references (long side `size`), with the server's request log cleared before each test.
 * The fields are filled in beforeAll, so read them inside tests.
 */
export function useFakeOpenAIWithReferences(count: number, size: number): EngineSetup {
  const setup = {} as EngineSetup;
  let dir = '';
  beforeAll(async () => {
    setup.fake = await startFakeOpenAI();
    dir = await mkdtemp(join(tmpdir(), 'komorebi-engine-'));
    setup.refs = await preparedReferences(dir, count, size);
  });
  afterAll(async () => {
    await setup.fake?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    setup.fake.requests.length = 0;
  });
  afterEach(() => expectConformingRequests(setup.fake));
  return setup;
}
