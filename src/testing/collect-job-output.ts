import {
  asyncScheduler,
  identity,
  lastValueFrom,
  take,
  tap,
  throwError,
  timeout,
  toArray,
  type SchedulerLike,
} from 'rxjs';
import type { DataStream } from '../core/api/data-stream.js';
import { TestTimeoutError } from './test-timeout-error.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';

/** Options of `collectJobOutput`. */
export interface CollectJobOutputOptions {
  /** Resolve after this many records and stop the job (for unbounded sources). */
  readonly count?: number;
  /** Give up after this many milliseconds (default 5000): the job is stopped and a TestTimeoutError thrown. */
  readonly timeout?: number;
  /** Where the timeout runs (default `asyncScheduler`). */
  readonly scheduler?: SchedulerLike;
}

/**
 * Runs the stream's job in real time and resolves with every record reaching that point once the job
 * completes (or once `count` records arrived, stopping the job); rejects with the job's error if it fails and
 * with a TestTimeoutError, stopping the job, after `timeout`. No sleeps: it waits on the job's own end.
 *
 * @example
 * ```ts
 * const env = new LocalEnvironment('t');
 * const out = await collectJobOutput(env.fromBatch([1, 2, 3]).map((x) => x * 2));
 * // out = [2, 4, 6]
 * const firstTen = await collectJobOutput(env2.fromSource(Ticks), { count: 10, timeout: 1000 });
 * ```
 */
export function collectJobOutput<T>(
  stream: DataStream<T>,
  options: CollectJobOutputOptions = {},
): Promise<T[]> {
  const count = options.count;
  if (count !== undefined && (!Number.isInteger(count) || count < 1)) {
    throw new InvalidArgumentError(
      `collectJobOutput: count must be a positive integer, got ${String(count)}`,
    );
  }
  const timeoutMs = options.timeout ?? 5000;
  const waitingFor = count === undefined ? `job ${stream.environment.name} to complete` : `${count} records`;
  let seen = 0;
  return lastValueFrom(
    stream.toObservable().pipe(
      count === undefined ? identity : take(count),
      tap(() => {
        seen++;
      }),
      toArray(),
      timeout({
        first: timeoutMs,
        scheduler: options.scheduler ?? asyncScheduler,
        with: () => throwError(() => new TestTimeoutError(waitingFor, timeoutMs, `${seen} records`)),
      }),
    ),
  );
}
