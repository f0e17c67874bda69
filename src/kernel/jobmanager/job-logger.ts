import log, { type Logger, type LogLevelDesc } from 'loglevel';
import type { LogSink } from '../runtime/log/log-record.js';
import { recordLogger } from '../runtime/log/record-logger.js';

/** Who a job's loggers speak for, at which level, and where their lines go. */
export interface JobLoggersOptions {
  readonly envName: string;
  readonly jobId: string;
  /** Level of every logger of the job (default `'warn'`). */
  readonly level?: LogLevelDesc | undefined;
  /** Where the job's log records go (default: the console). */
  readonly sink?: LogSink | undefined;
  /** The job's clock (its scheduler's `now()`), for the time stamps. */
  readonly now?: (() => number) | undefined;
}

/**
 * The loglevel loggers of one job: one for the job and one per component (an operator instance, a service),
 * at the job's level, each stamping its lines with the time, the job's name and id, and the component and
 * instance, and sending them to the job's sink. loglevel keeps every named logger for ever, so `release()`
 * removes the job's loggers from its registry once the job has ended: a long-lived server does not grow with
 * every job it has run.
 *
 * @example
 * ```ts
 * const loggers = new JobLoggers({ envName: 'demo', jobId, level: 'info' });
 * loggers.for().info('submitted');       // … INFO [job demo 1a2b3c4d] submitted
 * loggers.for('map', 0).warn('slow');    // … WARN [job demo 1a2b3c4d] [map#0] slow
 * loggers.release();
 * ```
 */
export class JobLoggers {
  private readonly names = new Set<string>();
  private released = false;

  constructor(private readonly options: JobLoggersOptions) {}

  /** The logger of the job (no component), of one of its components, or of one instance of an operator. */
  for(component?: string, instance?: number): Logger {
    const { envName, jobId } = this.options;
    let name = `sage-kernel:${envName}:${jobId}`;
    if (component !== undefined) name += `:${component}`;
    if (instance !== undefined) name += `#${String(instance)}`;
    if (!this.released) this.names.add(name);
    const logger = recordLogger({
      name,
      level: this.options.level,
      sink: this.options.sink,
      now: this.options.now,
      jobName: envName,
      jobId,
      component,
      instance,
    });
    // Created after the job ended (an instance's logger is made on its first use): not kept by loglevel.
    if (this.released) Reflect.deleteProperty(log.getLoggers(), name);
    return logger;
  }

  /** Forgets the job's loggers in loglevel's registry (the objects already handed out keep working). */
  release(): void {
    const registry = log.getLoggers() as Record<string, Logger | undefined>;
    for (const name of this.names) Reflect.deleteProperty(registry, name);
    this.names.clear();
    this.released = true;
  }
}
