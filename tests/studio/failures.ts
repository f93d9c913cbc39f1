import { createServer } from 'node:net';
import { expect } from 'vitest';
import { StudioError } from '../../src/main/core/studio/errors';

/** A port nothing listens on: "no network". */
export async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

/** The StudioError a promise rejects with (the test fails if it resolves or throws something else). */
export async function failure(p: Promise<unknown>): Promise<StudioError> {
  const err = await p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StudioError);
  return err as StudioError;
}
