import { describeValue } from '../../../errors/describe-value.js';

/** Default timeout of a service call, in ms (of the job's scheduler). */
export const DEFAULT_SERVICE_TIMEOUT = 10_000;

/**
 * How a service runs: how many requests it handles at once (the others wait, first in first out) and the
 * timeout of calls that give none.
 *
 * @example
 * ```ts
 * env.registerServiceFactory(new ServiceFactory('llm', Llm, [], { concurrency: 4, timeout: 30_000 }));
 * ```
 */
export interface ServiceOptions {
  /** Requests handled at once (a positive integer, default 1: one at a time, in arrival order). */
  readonly concurrency?: number;
  /** Default timeout of a call, in ms (default 10,000). */
  readonly timeout?: number;
}

/** Service options with every default filled in. */
export interface ResolvedServiceOptions {
  readonly concurrency: number;
  readonly timeout: number;
}

/**
 * Validates service options and fills in the defaults; a bad value is a TypeError saying what to pass.
 *
 * @example
 * ```ts
 * resolveServiceOptions('calc', { concurrency: 2 }); // { concurrency: 2, timeout: 10000 }
 * ```
 */
export function resolveServiceOptions(
  service: string,
  options: ServiceOptions | undefined,
): ResolvedServiceOptions {
  const given: unknown = options;
  if (given !== undefined && (given === null || typeof given !== 'object')) {
    throw new TypeError(`Service ${service}: options must be an object, got ${describeValue(given)}`);
  }
  const concurrency: unknown = options?.concurrency ?? 1;
  if (typeof concurrency !== 'number' || !Number.isInteger(concurrency) || concurrency < 1) {
    throw new TypeError(
      `Service ${service}: concurrency must be a positive integer, got ${describeValue(concurrency)}`,
    );
  }
  return { concurrency, timeout: checkTimeout(service, options?.timeout ?? DEFAULT_SERVICE_TIMEOUT) };
}

/**
 * Returns `timeout` when it is a number of milliseconds > 0 (`Infinity` allowed), else throws a TypeError.
 *
 * @example
 * ```ts
 * checkTimeout('calc', 500); // 500
 * ```
 */
export function checkTimeout(service: string, timeout: unknown): number {
  if (typeof timeout !== 'number' || Number.isNaN(timeout) || timeout <= 0) {
    throw new TypeError(
      `Service ${service}: timeout must be a number of milliseconds > 0, got ${describeValue(timeout)}`,
    );
  }
  return timeout;
}
