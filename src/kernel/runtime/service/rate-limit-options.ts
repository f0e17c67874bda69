import { describeValue } from '../../../errors/describe-value.js';
import { ServiceOptionsError } from '../../../errors/service-options-error.js';

/**
 * A token bucket in front of a service: it holds up to `burst` tokens, starts full and refills at `perSecond`
 * tokens per second of the job's scheduler. Each invocation of the service (one call, or one batch) takes
 * tokens before it runs: 1, or with `cost` the sum of `cost(...args)` of its requests (a request that costs
 * more than `burst` waits for a full bucket and empties it). Callers wait in the service's queue, first in
 * first out, instead of failing; that wait does not count toward their timeout unless the service sets
 * `timeoutIncludesQueue`.
 *
 * @example
 * ```ts
 * new ServiceFactory('llm', Llm, [], { rateLimit: { perSecond: 50, burst: 10, cost: (prompt) => String(prompt).length / 4 } });
 * ```
 */
export interface RateLimitOptions {
  /** Tokens added per second (> 0). */
  readonly perSecond: number;
  /** Most tokens held, and the size of the bucket at the start (≥ 1; default: `perSecond`, at least 1). */
  readonly burst?: number;
  /** Tokens one request takes, from its arguments (default 1 per invocation). */
  readonly cost?: (...args: unknown[]) => number;
}

/** Rate-limit options with every default filled in. */
export interface ResolvedRateLimitOptions {
  readonly perSecond: number;
  readonly burst: number;
  readonly cost: ((...args: unknown[]) => number) | undefined;
}

/**
 * Validates rate-limit options and fills in the defaults; bad values throw a ServiceOptionsError.
 *
 * @example
 * ```ts
 * resolveRateLimitOptions('embed', { perSecond: 200 }).burst; // 200
 * ```
 */
export function resolveRateLimitOptions(service: string, rateLimit: unknown): ResolvedRateLimitOptions {
  if (rateLimit === null || typeof rateLimit !== 'object') {
    throw new ServiceOptionsError(
      service,
      'rateLimit',
      `must be an object { perSecond, burst?, cost? }, got ${describeValue(rateLimit)}`,
    );
  }
  const { perSecond, burst, cost } = rateLimit as Partial<Record<keyof RateLimitOptions, unknown>>;
  if (typeof perSecond !== 'number' || !Number.isFinite(perSecond) || perSecond <= 0) {
    throw new ServiceOptionsError(
      service,
      'rateLimit.perSecond',
      `must be a finite number > 0 (tokens per second), got ${describeValue(perSecond)}`,
    );
  }
  const size = burst ?? Math.max(1, perSecond);
  if (typeof size !== 'number' || !Number.isFinite(size) || size < 1) {
    throw new ServiceOptionsError(
      service,
      'rateLimit.burst',
      `must be a finite number ≥ 1 (tokens the bucket holds), got ${describeValue(size)}`,
    );
  }
  if (cost !== undefined && typeof cost !== 'function') {
    throw new ServiceOptionsError(
      service,
      'rateLimit.cost',
      `must be a function (...args) => tokens, got ${describeValue(cost)}`,
    );
  }
  return { perSecond, burst: size, cost: cost as ((...args: unknown[]) => number) | undefined };
}
