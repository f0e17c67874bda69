import { SageError } from './sage-error.js';

/**
 * Thrown (or rejected) by a service method to say "this may work if tried again": a service with a `retry`
 * option retries it with backoff by default, like a timeout or an error with an HTTP-like `status` of 429 or
 * 5xx. An optional `status` is kept for callers that look at it.
 *
 * @example
 * ```ts
 * class Embed {
 *   async process(text: string) {
 *     const res = await fetch('http://localhost:8080/embed', { method: 'POST', body: text });
 *     if (res.status === 503) throw new RetryableError('embedding server busy', { status: 503 });
 *     return res.json();
 *   }
 * }
 * ```
 */
export class RetryableError extends SageError {
  /** An HTTP-like status, when the error came from one. */
  readonly status: number | undefined;

  constructor(message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status;
  }
}
