import type { LogRecord, LogSink } from './log-record.js';

/**
 * The default log sink: each line on the console, `warn` and `error` on stderr, the others on stdout.
 *
 * @example
 * ```ts
 * new LocalEnvironment('demo', { logSink: consoleLogSink }); // the same as giving none
 * ```
 */
export const consoleLogSink: LogSink = (record: LogRecord) => {
  if (record.level === 'error') console.error(record.line);
  else if (record.level === 'warn') console.warn(record.line);
  else if (record.level === 'info') console.info(record.line);
  else console.debug(record.line);
};
