import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
/**
 * What happens when user code throws: `'skip'` logs the error, drops the record and counts it;
 * `'fail'` fails the job with the original error as cause.
 *
 * @example
 * ```ts
 * new LocalEnvironment('strict', { errorPolicy: 'fail' });
 * ```
 */
export type ErrorPolicy = 'skip' | 'fail';

/**
 * Throws a TypeError unless `value` is an ErrorPolicy (or undefined); returns it typed.
 *
 * @example
 * ```ts
 * const policy = checkErrorPolicy(config.errorPolicy, 'environment demo') ?? 'skip';
 * ```
 */
export function checkErrorPolicy(value: unknown, where: string): ErrorPolicy | undefined {
  if (value === undefined || value === 'skip' || value === 'fail') return value;
  throw new InvalidArgumentError(
    `${where}: errorPolicy must be 'skip' or 'fail', got ${JSON.stringify(value)}`,
  );
}
