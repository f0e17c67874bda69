import { SageError } from './sage-error.js';

/**
 * A service call got no reply within its timeout. A reply that arrives later is dropped, never delivered to
 * another call.
 *
 * @example
 * ```ts
 * try { await this.callService({ service: 'llm', timeout: 500 }, prompt); }
 * catch (e) { if (e instanceof ServiceTimeoutError) return fallback; }
 * ```
 */
export class ServiceTimeoutError extends SageError {
  constructor(
    readonly service: string,
    readonly method: string,
    readonly timeout: number,
  ) {
    super(
      `Service call ${service}.${method} timed out after ${timeout} ms: raise the call's timeout ` +
        `({ service: '${service}', method: '${method}', timeout }) or the service's default timeout, or make it faster`,
    );
  }
}
