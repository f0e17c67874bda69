import { SageError } from './sage-error.js';

/**
 * An environment's logging options are invalid (`logLevel`, `logSink` or `errorSummaryIntervalMs`): the message
 * says which option, what it got and what to pass instead. Thrown by the environment's constructor.
 *
 * @example
 * ```ts
 * try { new LocalEnvironment('etl', { logLevel: 'loud' as never }); }
 * catch (e) { if (e instanceof LogOptionsError) console.error(e.message); }
 * ```
 */
export class LogOptionsError extends SageError {
  constructor(
    readonly option: string,
    problem: string,
  ) {
    super(`${option} ${problem}`);
  }
}
