import { describeValue } from '../../../errors/describe-value.js';
import { ServiceOptionsError } from '../../../errors/service-options-error.js';
import { checkBatchOptions, type BatchOptions } from './batch-options.js';
import {
  resolveRateLimitOptions,
  type RateLimitOptions,
  type ResolvedRateLimitOptions,
} from './rate-limit-options.js';
import { resolveRetryOptions, type ResolvedRetryOptions, type RetryOptions } from './retry-options.js';
import { InvalidArgumentError } from '../../../errors/invalid-argument-error.js';

/** Default timeout of a service call, in ms (of the job's scheduler). */
export const DEFAULT_SERVICE_TIMEOUT = 10_000;

/** Default time a service's lifecycle hook may take before the runtime logs it and goes on, in ms. */
export const DEFAULT_HOOK_TIMEOUT = 10_000;

/**
 * How a service runs: how many requests it handles at once (the others wait, first in first out), the
 * timeout of calls that give none, and for AI workloads retries with backoff, request batching and a rate
 * limit (all timed on the job's scheduler).
 *
 * @example
 * ```ts
 * env.registerServiceFactory(new ServiceFactory('llm', Llm, [], { concurrency: 4, timeout: 30_000 }));
 * env.registerServiceFactory(
 *   new ServiceFactory('embed', Embed, [], {
 *     batch: { maxSize: 64, maxWaitMs: 5 },
 *     retry: { attempts: 4, initialDelayMs: 100 },
 *     rateLimit: { perSecond: 200, burst: 20 },
 *   }),
 * );
 * ```
 */
export interface ServiceOptions {
  /** Requests handled at once (a positive integer, default 1: one at a time, in arrival order). */
  readonly concurrency?: number;
  /** Default timeout of a call, in ms (default 10,000). */
  readonly timeout?: number;
  /**
   * How long each lifecycle hook (`setup`, `start`, `stop`, `cleanup`) may take, in ms of the job's scheduler,
   * before it is logged and the runtime goes on (default: the job config's `serviceHookTimeoutMs`, else 10,000).
   */
  readonly hookTimeoutMs?: number;
  /** Retry failed attempts with backoff (see {@link RetryOptions}); a call's own `retry` overrides fields. */
  readonly retry?: RetryOptions;
  /** Gather `process` calls into `processBatch(requests)` calls (see {@link BatchOptions}). */
  readonly batch?: BatchOptions;
  /** A token bucket in front of the service (see {@link RateLimitOptions}). */
  readonly rateLimit?: RateLimitOptions;
  /**
   * With a `rateLimit`: whether the time a call waits in the service's queue (for a slot or for tokens) counts
   * toward its timeout (default false: the timeout starts when its first attempt starts).
   */
  readonly timeoutIncludesQueue?: boolean;
}

/** Service options with every default filled in. */
export interface ResolvedServiceOptions {
  readonly concurrency: number;
  readonly timeout: number;
  /** The service's own hook timeout (undefined: the job's). */
  readonly hookTimeoutMs?: number | undefined;
  readonly retry?: ResolvedRetryOptions | undefined;
  readonly batch?: BatchOptions | undefined;
  readonly rateLimit?: ResolvedRateLimitOptions | undefined;
  readonly timeoutIncludesQueue?: boolean | undefined;
}

/**
 * Validates service options and fills in the defaults; a bad value is a TypeError saying what to pass.
 *
 * @example
 * ```ts
 * resolveServiceOptions('calc', { concurrency: 2 }).timeout; // 10000
 * ```
 */
export function resolveServiceOptions(
  service: string,
  options: ServiceOptions | undefined,
): ResolvedServiceOptions {
  const given: unknown = options;
  if (given !== undefined && (given === null || typeof given !== 'object')) {
    throw new InvalidArgumentError(
      `Service ${service}: options must be an object, got ${describeValue(given)}`,
    );
  }
  const concurrency: unknown = options?.concurrency ?? 1;
  if (typeof concurrency !== 'number' || !Number.isInteger(concurrency) || concurrency < 1) {
    throw new InvalidArgumentError(
      `Service ${service}: concurrency must be a positive integer, got ${describeValue(concurrency)}`,
    );
  }
  const hookTimeoutMs =
    options?.hookTimeoutMs === undefined
      ? undefined
      : checkHookTimeout(`Service ${service}: hookTimeoutMs`, options.hookTimeoutMs);
  const includesQueue: unknown = options?.timeoutIncludesQueue;
  if (includesQueue !== undefined && typeof includesQueue !== 'boolean') {
    throw new ServiceOptionsError(
      service,
      'timeoutIncludesQueue',
      `must be true or false, got ${describeValue(includesQueue)}`,
    );
  }
  return {
    concurrency,
    timeout: checkTimeout(service, options?.timeout ?? DEFAULT_SERVICE_TIMEOUT),
    hookTimeoutMs,
    retry: options?.retry === undefined ? undefined : resolveRetryOptions(service, options.retry),
    batch: options?.batch === undefined ? undefined : checkBatchOptions(service, options.batch),
    rateLimit:
      options?.rateLimit === undefined ? undefined : resolveRateLimitOptions(service, options.rateLimit),
    timeoutIncludesQueue: includesQueue,
  };
}

/**
 * Returns `ms` when it is a finite number of milliseconds > 0, else throws a TypeError naming `what`.
 *
 * @example
 * ```ts
 * checkHookTimeout('serviceHookTimeoutMs', 2_000); // 2000
 * ```
 */
export function checkHookTimeout(what: string, ms: unknown): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) {
    throw new InvalidArgumentError(
      `${what} must be a finite number of milliseconds > 0, got ${describeValue(ms)}`,
    );
  }
  return ms;
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
    throw new InvalidArgumentError(
      `Service ${service}: timeout must be a number of milliseconds > 0, got ${describeValue(timeout)}`,
    );
  }
  return timeout;
}
