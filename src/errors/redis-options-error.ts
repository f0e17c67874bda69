import { SageError } from './sage-error.js';

/**
 * The options of a `RedisStreamSource` or `RedisStreamSink` are invalid: a missing or non-Redis `url`, an empty
 * `stream`, a `from` other than `'0'` and `'$'`. The message says which option, what it got and what to pass.
 * Thrown when the function is constructed, so the job fails at start instead of skipping every record.
 *
 * @example
 * ```ts
 * env.fromSource(RedisStreamSource, { args: [{ url: 'localhost', stream: 'in' }] });
 * // submit fails: RedisOptionsError: RedisStreamSource: url is string "localhost": pass e.g. 'redis://127.0.0.1:6379'
 * ```
 */
export class RedisOptionsError extends SageError {
  constructor(
    readonly component: string,
    readonly option: string,
    problem: string,
  ) {
    super(`${component}: ${option} ${problem}`);
  }
}
