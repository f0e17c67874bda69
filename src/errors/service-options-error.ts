import { SageError } from './sage-error.js';

/**
 * A service's `retry`, `batch` or `rateLimit` options (or a call's `retry` override) are invalid: the message
 * says which option, what it got and what to pass instead. Thrown when the service is registered (or, for a
 * per-call override, by the call).
 *
 * @example
 * ```ts
 * try { new ServiceFactory('embed', Embed, [], { batch: { maxSize: 0, maxWaitMs: 5 } }); }
 * catch (e) { if (e instanceof ServiceOptionsError) console.error(e.message); }
 * ```
 */
export class ServiceOptionsError extends SageError {
  constructor(
    readonly service: string,
    readonly option: string,
    problem: string,
  ) {
    super(`Service ${service}: ${option} ${problem}`);
  }
}
