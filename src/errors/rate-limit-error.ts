import { SageError } from './sage-error.js';

/**
 * The JobManager server refuses connections from an address that failed to authenticate too often; it accepts
 * them again after `retryAfterMs`.
 *
 * @example
 * ```ts
 * new RateLimitError('203.0.113.7', 6000).message; // 'Too many failed authentications from 203.0.113.7 …'
 * ```
 */
export class RateLimitError extends SageError {
  constructor(
    readonly address: string,
    readonly retryAfterMs: number,
  ) {
    super(
      `Too many failed authentications from ${address}: connections from it are refused for ` +
        `${Math.ceil(retryAfterMs / 1000)} s; check the token (--token or SAGE_TOKEN) and try again then`,
    );
  }
}
