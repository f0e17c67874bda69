import { SnapshotMismatchError } from '../../../errors/snapshot-mismatch-error.js';
import { AuthenticationError } from '../../../errors/authentication-error.js';
import { HttpRequestError } from '../../../errors/http-request-error.js';
import { JobModuleError } from '../../../errors/job-module-error.js';
import { JobNotFoundError } from '../../../errors/job-not-found-error.js';
import { JobStateError } from '../../../errors/job-state-error.js';
import { ModuleNotAllowedError } from '../../../errors/module-not-allowed-error.js';
import { ProtocolError } from '../../../errors/protocol-error.js';
import { UsageError } from '../../../errors/usage-error.js';

/**
 * The HTTP status the REST API answers a failure with: 400 for bad input (a refused module, a builder that
 * throws, a bad field), 401 for a missing or wrong token, 404 for an unknown job, 409 for a request that does
 * not fit the job's state, the error's own status for an `HttpRequestError`, and 500 for anything else.
 *
 * @example
 * ```ts
 * statusCodeOf(new JobNotFoundError('x')); // 404
 * ```
 */
export function statusCodeOf(error: unknown): number {
  if (error instanceof HttpRequestError) return error.statusCode;
  if (error instanceof AuthenticationError) return 401;
  if (error instanceof JobNotFoundError) return 404;
  if (error instanceof JobStateError) return 409;
  if (
    error instanceof ModuleNotAllowedError ||
    error instanceof JobModuleError ||
    error instanceof UsageError ||
    error instanceof SnapshotMismatchError ||
    error instanceof ProtocolError
  ) {
    return 400;
  }
  return 500;
}
