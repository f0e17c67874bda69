import { SageError } from './sage-error.js';

/**
 * A request to a JobManager server started with a token carried no token or a wrong one.
 *
 * @example
 * ```ts
 * throw new AuthenticationError(); // the server answers it as an error response
 * ```
 */
export class AuthenticationError extends SageError {
  constructor() {
    super(
      'Authentication failed: this JobManager requires a token; pass the right one (--token or SAGE_TOKEN)',
    );
  }
}
