import type { ExpectedErrorName } from '../../shared/errors';

/**
 * Expected errors of the library and model handlers (see shared/errors.ts): the user asked
 * for something that cannot be done as asked. Each shell answers them as such (HTTP 422, not
 * logged as a failure); the message says what happened and what to do.
 */

/** A folder or photo request: not a folder, already watched, no longer in the library. */
export class LibraryRequestError extends Error {
  override name = 'LibraryRequestError' satisfies ExpectedErrorName;
}

/** A model request: an unknown model, a model file not on this computer, a file that is no model. */
export class ModelRequestError extends Error {
  override name = 'ModelRequestError' satisfies ExpectedErrorName;
}
