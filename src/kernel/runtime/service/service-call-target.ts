import type { RetryOptions } from './retry-options.js';

/**
 * Which service a call goes to: its name (method `process`, the service's default timeout), or an object
 * naming the service, and optionally the method, the timeout in ms (it bounds the whole call, retries
 * included) and retry options that override the service's.
 *
 * @example
 * ```ts
 * await this.callService('calc', 2);
 * await this.callService({ service: 'calc', method: 'add', timeout: 500 }, 2, 100);
 * await this.callService({ service: 'llm', timeout: 30_000, retry: { attempts: 5 } }, prompt);
 * ```
 */
export type ServiceCallTarget = string | ServiceCallSpec;

/** The object form of a call target. */
export interface ServiceCallSpec {
  /** Name the service was registered under. */
  readonly service: string;
  /** Method to call (default `'process'`). */
  readonly method?: string;
  /** Timeout in ms (default: the service's, 10,000 unless configured). */
  readonly timeout?: number;
  /** Retry options for this call; each field given overrides the service's `retry` option. */
  readonly retry?: RetryOptions;
}
