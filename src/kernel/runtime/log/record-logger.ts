import log, { type Logger, type LogLevelDesc } from 'loglevel';
import { consoleLogSink } from './console-log-sink.js';
import { formatLogLine, formatLogMessage, type LogFields } from './format-log-line.js';
import type { LogSink } from './log-record.js';

/** What a record logger stamps on each of its lines, and where they go. */
export interface RecordLoggerOptions {
  /** The loglevel logger's name (it lives in loglevel's registry under it). */
  readonly name: string;
  /** The logger's level (default `'warn'`). */
  readonly level?: LogLevelDesc | undefined;
  /** Where the records go (default: the console). */
  readonly sink?: LogSink | undefined;
  /** The clock of the time stamps, in ms since the epoch (default `Date.now`; a job uses its scheduler's). */
  readonly now?: (() => number) | undefined;
  readonly jobName?: string | undefined;
  readonly jobId?: string | undefined;
  readonly component?: string | undefined;
  readonly instance?: number | undefined;
}

/**
 * A loglevel logger whose every line becomes a {@link LogRecord} (time, level, job, component, instance,
 * message) handed to a sink: loglevel's levels and API, with the fields a reader of a job's logs needs.
 *
 * @example
 * ```ts
 * const logger = recordLogger({ name: 'sage-kernel:wc', jobName: 'wc', jobId, component: 'map', instance: 0 });
 * logger.warn('slow'); // 2026-11-30T04:05:06.789Z WARN [job wc 1a2b3c4d] [map#0] slow
 * ```
 */
export function recordLogger(options: RecordLoggerOptions): Logger {
  const logger = log.getLogger(options.name);
  const sink = options.sink ?? consoleLogSink;
  const now = options.now ?? Date.now;
  const stamp: Omit<LogFields, 'time' | 'level' | 'args'> = {
    ...(options.jobName !== undefined ? { jobName: options.jobName } : {}),
    ...(options.jobId !== undefined ? { jobId: options.jobId } : {}),
    ...(options.component !== undefined ? { component: options.component } : {}),
    ...(options.instance !== undefined ? { instance: options.instance } : {}),
  };
  logger.methodFactory =
    (method) =>
    (...args: unknown[]) => {
      const fields: LogFields = { time: now(), level: method, ...stamp, args };
      const message = formatLogMessage(args);
      const line = formatLogLine(fields, message);
      try {
        sink({ ...fields, message, line });
      } catch (e) {
        console.error(line);
        console.error('the log sink threw:', e);
      }
    };
  logger.setLevel(options.level ?? 'warn', false);
  return logger;
}
