import type { LogLevelDesc } from 'loglevel';
import type { SchedulerLike } from 'rxjs';
import type { CheckpointOptions } from '../runtime/checkpoint/checkpoint-options.js';
import type { ErrorPolicy } from '../runtime/error-policy.js';
import type { LogSink } from '../runtime/log/log-record.js';
import type { RestartStrategy } from '../runtime/restart/restart-strategy.js';

/**
 * Settings of an environment and of the jobs it submits. Unknown keys are kept for user code.
 *
 * @example
 * ```ts
 * new LocalEnvironment('etl', { errorPolicy: 'fail', logLevel: 'info', highWaterMark: 4096 });
 * ```
 */
export interface JobConfig {
  /** What a throw in user code does (default `'skip'`). */
  errorPolicy?: ErrorPolicy;
  /** How long a service's lifecycle hook may take before it is logged and the job goes on, in ms (default 10,000). */
  serviceHookTimeoutMs?: number;
  /** loglevel level of the environment's loggers (default `'warn'`). */
  logLevel?: LogLevelDesc;
  /**
   * Where the job's log lines go, as structured records (time, level, job name and id, operator, instance,
   * message, formatted line); default: the console. Use it to send a job's logs to pino, log4js or a file.
   */
  logSink?: LogSink;
  /**
   * How often an operator instance whose calls keep failing logs a summary of its errors (count, last message),
   * in ms of the job's scheduler (default 10,000). The first error is logged at once, with its stack.
   */
  errorSummaryIntervalMs?: number;
  /** Scheduler every timing of the job runs on (default RxJS `asyncScheduler`, virtual under `TestScheduler.run`). */
  scheduler?: SchedulerLike;
  /** Input-queue length at which an instance asks its sources to stop pulling (default 1024). */
  highWaterMark?: number;
  /** Fuse adjacent stateless steps into one vertex (default true). */
  fusion?: boolean;
  /**
   * Number of key groups keyed state and hash routing are split into (default 128, at most 32,768): the
   * highest parallelism a keyed operator can be restored at. An operator's own `maxParallelism` option wins.
   */
  maxParallelism?: number;
  /** Periodic checkpoints (set with `env.enableCheckpointing`). */
  checkpointing?: CheckpointOptions;
  /** What a failure does (set with `env.setRestartStrategy`); default `none`, or exponential-delay with checkpointing. */
  restartStrategy?: RestartStrategy;
  /** Ms of the job's scheduler between two periodic watermarks of `assignTimestampsAndWatermarks` (default 200). */
  autoWatermarkIntervalMs?: number;
  /**
   * Round-trip every record and key through the worker-thread codec (structured clone) at every non-fused
   * edge, in-process, so that a record that would not survive a thread boundary (a function, a symbol, a class
   * instance) fails with `RecordNotSerializableError` under the error policy (default false: for tests).
   */
  checkSerializable?: boolean;
  /** Any other key is kept for user code. */
  [key: string]: unknown;
}
