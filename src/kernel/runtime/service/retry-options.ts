import { describeValue } from '../../../errors/describe-value.js';
import { RetryableError } from '../../../errors/retryable-error.js';
import { ServiceOptionsError } from '../../../errors/service-options-error.js';
import { ServiceTimeoutError } from '../../../errors/service-timeout-error.js';

/**
 * How a service call is retried after a failed attempt (service option `retry`, or per call in the call target
 * `{ service, retry }`, whose fields override the service's). Backoff _k_ (after the _k_-th failure) waits
 * `min(initialDelayMs × multiplier^(k-1), maxDelayMs)` on the job's scheduler, shortened by up to `jitter` (a
 * fraction) at random. The call's `timeout` bounds the whole call, retries included: a retry that could not
 * start before the deadline is not attempted (the call fails with its last error).
 *
 * @example
 * ```ts
 * new ServiceFactory('embed', Embed, [], {
 *   retry: { attempts: 4, initialDelayMs: 100, multiplier: 2, maxDelayMs: 2_000, perAttemptTimeoutMs: 1_000 },
 * }); // attempts at 0, ~100, ~300, ~700 ms after failures
 * ```
 */
export interface RetryOptions {
  /** Attempts in all, the first included (an integer ≥ 1; default 3). */
  readonly attempts?: number;
  /** Wait before the first retry, in ms (≥ 0; default 100). */
  readonly initialDelayMs?: number;
  /** Longest wait between attempts, in ms (≥ 0; default 10,000). */
  readonly maxDelayMs?: number;
  /** Growth of the wait from one retry to the next (≥ 1; default 2). */
  readonly multiplier?: number;
  /** Fraction of each wait taken off at random, from 0 (exact waits, the default) to 1. */
  readonly jitter?: number;
  /**
   * Whether a failed attempt is retried, given what it failed with (what the method threw, or the
   * ServiceTimeoutError of an attempt that passed `perAttemptTimeoutMs`) and the number of attempts made so far.
   * Default {@link isRetryable}: timeouts, `RetryableError`, and errors with a `status` of 429 or ≥ 500.
   */
  readonly retryOn?: (error: unknown, attempt: number) => boolean;
  /** Timeout of each attempt, in ms (> 0); without it an attempt may take the whole call's timeout. */
  readonly perAttemptTimeoutMs?: number;
}

/** Retry options with every default filled in. */
export interface ResolvedRetryOptions {
  readonly attempts: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly multiplier: number;
  readonly jitter: number;
  readonly retryOn: (error: unknown, attempt: number) => boolean;
  readonly perAttemptTimeoutMs: number | undefined;
}

/**
 * The default `retryOn`: true for a ServiceTimeoutError, a RetryableError, and any error whose `status` is 429
 * or ≥ 500 (HTTP-like "too many requests" and server errors).
 *
 * @example
 * ```ts
 * isRetryable(Object.assign(new Error('slow down'), { status: 429 })); // true
 * isRetryable(new TypeError('bad input'));                            // false
 * ```
 */
export function isRetryable(error: unknown): boolean {
  if (error instanceof ServiceTimeoutError || error instanceof RetryableError) return true;
  if (error === null || typeof error !== 'object') return false;
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' && (status === 429 || status >= 500);
}

/**
 * Validates retry options (the service's merged with a call's override) and fills in the defaults; bad values
 * throw a ServiceOptionsError naming the option.
 *
 * @example
 * ```ts
 * resolveRetryOptions('embed', { attempts: 4 }).initialDelayMs; // 100
 * ```
 */
export function resolveRetryOptions(service: string, retry: RetryOptions): ResolvedRetryOptions {
  const given: unknown = retry;
  if (given === null || typeof given !== 'object') {
    throw new ServiceOptionsError(service, 'retry', `must be an object, got ${describeValue(given)}`);
  }
  const attempts = retry.attempts ?? 3;
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new ServiceOptionsError(
      service,
      'retry.attempts',
      `must be an integer ≥ 1 (every attempt, the first included), got ${describeValue(attempts)}`,
    );
  }
  const initialDelayMs = delay(service, 'retry.initialDelayMs', retry.initialDelayMs ?? 100);
  const maxDelayMs = delay(service, 'retry.maxDelayMs', retry.maxDelayMs ?? 10_000);
  const multiplier = retry.multiplier ?? 2;
  if (typeof multiplier !== 'number' || !Number.isFinite(multiplier) || multiplier < 1) {
    throw new ServiceOptionsError(
      service,
      'retry.multiplier',
      `must be a finite number ≥ 1, got ${describeValue(multiplier)}`,
    );
  }
  const jitter = retry.jitter ?? 0;
  if (typeof jitter !== 'number' || !(jitter >= 0 && jitter <= 1)) {
    throw new ServiceOptionsError(
      service,
      'retry.jitter',
      `must be a fraction from 0 to 1, got ${describeValue(jitter)}`,
    );
  }
  const retryOn = retry.retryOn ?? isRetryable;
  if (typeof retryOn !== 'function') {
    throw new ServiceOptionsError(
      service,
      'retry.retryOn',
      `must be a function (error, attempt) => boolean, got ${describeValue(retryOn)}`,
    );
  }
  const perAttempt = retry.perAttemptTimeoutMs;
  if (
    perAttempt !== undefined &&
    (typeof perAttempt !== 'number' || Number.isNaN(perAttempt) || perAttempt <= 0)
  ) {
    throw new ServiceOptionsError(
      service,
      'retry.perAttemptTimeoutMs',
      `must be a number of milliseconds > 0, got ${describeValue(perAttempt)}`,
    );
  }
  return {
    attempts,
    initialDelayMs,
    maxDelayMs,
    multiplier,
    jitter,
    retryOn,
    perAttemptTimeoutMs: perAttempt,
  };
}

/**
 * The wait before the attempt after the `failures`-th failure: `min(initialDelayMs × multiplier^(failures-1),
 * maxDelayMs)`, less a random part of up to `jitter` of it.
 *
 * @example
 * ```ts
 * backoffDelay(resolveRetryOptions('s', { initialDelayMs: 100 }), 3); // 400
 * ```
 */
export function backoffDelay(retry: ResolvedRetryOptions, failures: number): number {
  const exact = Math.min(retry.initialDelayMs * retry.multiplier ** (failures - 1), retry.maxDelayMs);
  return retry.jitter === 0 ? exact : exact * (1 - retry.jitter * Math.random());
}

function delay(service: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new ServiceOptionsError(
      service,
      option,
      `must be a number of milliseconds ≥ 0, got ${describeValue(value)}`,
    );
  }
  return value;
}
