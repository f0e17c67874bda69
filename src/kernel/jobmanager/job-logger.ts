import log, { type Logger, type LogLevelDesc } from 'loglevel';

/**
 * The loglevel logger of an environment or of one of its operators (`sage-kernel:<env>[:<operator>]`), set to
 * the environment's level. All sage-kernel logging goes through these loggers.
 *
 * @example
 * ```ts
 * jobLogger('demo', 'info').info('submitted');
 * ```
 */
export function jobLogger(envName: string, level: LogLevelDesc | undefined, operator?: string): Logger {
  const logger = log.getLogger(
    operator === undefined ? `sage-kernel:${envName}` : `sage-kernel:${envName}:${operator}`,
  );
  logger.setLevel(level ?? 'warn', false);
  return logger;
}
