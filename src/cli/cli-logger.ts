import log, { type Logger, type LogLevelDesc } from 'loglevel';
import type { CliOutput } from './cli-io.js';

/**
 * A loglevel logger named `name` whose lines (`<ISO time> <level> <message>`) go to `out`, at `level`: how the
 * `sage` command shows what a server it runs logs.
 *
 * @example
 * ```ts
 * const logger = cliLogger('sage-kernel:cli:jobmanager', io.stderr, 'info');
 * logger.info('job demo (…) submitted'); // 2026-01-01T00:00:00.000Z info job demo (…) submitted
 * ```
 */
export function cliLogger(name: string, out: CliOutput, level: LogLevelDesc): Logger {
  const logger = log.getLogger(name);
  logger.methodFactory =
    (method) =>
    (...args: unknown[]) => {
      out.write(`${new Date().toISOString()} ${method} ${args.map(String).join(' ')}\n`);
    };
  logger.setLevel(level, false);
  return logger;
}
