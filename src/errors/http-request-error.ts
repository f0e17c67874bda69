import { SageError } from './sage-error.js';

/**
 * An HTTP request to the JobManager's REST API is malformed: a body that is not JSON or too large, a bad
 * query parameter, an unknown route or a method the route does not take. `statusCode` is the HTTP status the
 * server answers with (400, 404, 405 or 413).
 *
 * @example
 * ```ts
 * throw new HttpRequestError(400, 'Query parameter "limit" must be an integer from 1 to 1000, got "abc"');
 * ```
 */
export class HttpRequestError extends SageError {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}
