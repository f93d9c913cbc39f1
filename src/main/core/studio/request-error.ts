import type { ExpectedErrorName } from '../../../shared/errors';

/** Thrown for anything the user asked that cannot be done as asked; the message says why and what to do. */
export class StudioRequestError extends Error {
  override name = 'StudioRequestError' satisfies ExpectedErrorName;
}
