import { formatWithOptions } from 'node:util';
import { errorMessage } from '../../../errors/error-message.js';
import type { LogRecord } from './log-record.js';

/** The fields a line is made of: a log record before it has its `line`. */
export type LogFields = Omit<LogRecord, 'line' | 'message'>;

/**
 * Joins logged arguments into one message as `console.log` does (`%s`-style placeholders, objects inspected,
 * an Error as its stack), without colours.
 *
 * @example
 * ```ts
 * formatLogMessage(['failed:', new Error('boom')]); // 'failed: Error: boom\n    at …'
 * ```
 */
export function formatLogMessage(args: readonly unknown[]): string {
  try {
    return formatWithOptions({ colors: false, breakLength: Infinity }, ...args);
  } catch {
    // Something user code threw cannot be inspected (a getter or a Proxy trap throws): log what can be said.
    return args.map((a) => errorMessage(a)).join(' ');
  }
}

/**
 * The text of one log line: `<ISO time> <LEVEL> [job <name> <first 8 of id>] [<component>#<instance>] <message>`;
 * the job and component parts are left out when the line has none.
 *
 * @example
 * ```ts
 * formatLogLine({ time: 0, level: 'warn', jobName: 'wc', jobId: '1a2b3c4d-…', component: 'map', instance: 0, args: [] }, 'boom');
 * // '1970-01-01T00:00:00.000Z WARN [job wc 1a2b3c4d] [map#0] boom'
 * ```
 */
export function formatLogLine(fields: LogFields, message: string): string {
  let line = `${new Date(fields.time).toISOString()} ${fields.level.toUpperCase()}`;
  if (fields.jobName !== undefined || fields.jobId !== undefined) {
    const parts = ['job', fields.jobName, fields.jobId?.slice(0, 8)].filter(
      (p) => p !== undefined && p !== '',
    );
    line += ` [${parts.join(' ')}]`;
  }
  if (fields.component !== undefined) {
    line += ` [${fields.component}${fields.instance !== undefined ? `#${String(fields.instance)}` : ''}]`;
  }
  return `${line} ${message}`;
}
