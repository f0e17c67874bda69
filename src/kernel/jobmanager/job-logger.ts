import log, { type Logger, type LogLevelDesc } from 'loglevel';

/**
 * The loglevel loggers of one job: one per component (`sage-kernel:<env>[:<component>]`), at the job's level.
 * loglevel keeps every named logger for ever, so `release()` removes the job's loggers from its registry once
 * the job has ended: a long-lived server does not grow with every job name it has seen.
 *
 * @example
 * ```ts
 * const loggers = new JobLoggers('demo', 'info');
 * loggers.for().info('submitted');
 * loggers.for('map').warn('slow');
 * loggers.release();
 * ```
 */
export class JobLoggers {
  private readonly names = new Set<string>();

  constructor(
    private readonly envName: string,
    private readonly level: LogLevelDesc | undefined,
  ) {}

  /** The logger of the job (no component) or of one of its components (an operator, a service). */
  for(component?: string): Logger {
    const name =
      component === undefined ? `sage-kernel:${this.envName}` : `sage-kernel:${this.envName}:${component}`;
    this.names.add(name);
    const logger = log.getLogger(name);
    logger.setLevel(this.level ?? 'warn', false);
    return logger;
  }

  /** Forgets the job's loggers in loglevel's registry (the objects already handed out keep working). */
  release(): void {
    const registry = log.getLoggers() as Record<string, Logger | undefined>;
    for (const name of this.names) Reflect.deleteProperty(registry, name);
    this.names.clear();
  }
}

/**
 * A loglevel logger of an environment or of one of its components, set to the environment's level (for code
 * outside a job's lifetime; a job uses {@link JobLoggers}, which releases its loggers when it ends).
 *
 * @example
 * ```ts
 * jobLogger('demo', 'info').info('submitted');
 * ```
 */
export function jobLogger(envName: string, level: LogLevelDesc | undefined, operator?: string): Logger {
  return new JobLoggers(envName, level).for(operator);
}
