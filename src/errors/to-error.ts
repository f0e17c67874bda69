import { describeValue } from './describe-value.js';

/**
 * Returns `value` when it is an Error, else an Error whose message is `String(value)` and whose cause is the
 * original value (something threw a non-Error).
 *
 * @example
 * ```ts
 * promise.catch((e: unknown) => reject(toError(e)));
 * ```
 */
export function toError(value: unknown): Error {
  let isError = false;
  try {
    isError = value instanceof Error;
  } catch {
    // a Proxy whose getPrototypeOf trap throws: not an Error
  }
  if (isError) return value as Error;
  return new Error(typeof value === 'string' ? value : describeValue(value), { cause: value });
}
