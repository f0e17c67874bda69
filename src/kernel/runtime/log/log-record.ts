/** The levels a log line can have (loglevel's method names). */
export type LogLevelName = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/**
 * One log line of a job or a server, as a structured record: what a `logSink` receives. `line` is the text the
 * default sink prints (`<ISO time> <LEVEL> [job <name> <id>] [<operator>#<instance>] <message>`).
 *
 * @example
 * ```ts
 * new LocalEnvironment('etl', {
 *   logSink: (r) => pinoLogger[r.level]({ job: r.jobId, operator: r.component, instance: r.instance }, r.message),
 * });
 * ```
 */
export interface LogRecord {
  /** When it was logged, in ms since the epoch, read from the job's scheduler (virtual in marble tests). */
  readonly time: number;
  readonly level: LogLevelName;
  /** The job's name (the environment's), when the line belongs to a job. */
  readonly jobName?: string;
  /** The job's uuid, when the line belongs to a job. */
  readonly jobId?: string;
  /** The operator (or `service:<name>`, `dispatcher`, `restore`, a server's name) that logged it. */
  readonly component?: string;
  /** The parallel instance of the operator, when an instance logged it. */
  readonly instance?: number;
  /** The logged arguments as text (an Error as its stack), as `console.log` would join them. */
  readonly message: string;
  /** The arguments as they were given to the logger. */
  readonly args: readonly unknown[];
  /** The whole formatted line, without a trailing newline. */
  readonly line: string;
}

/**
 * Where log records go: the `logSink` of an environment's config (default: the console). It is called
 * synchronously for every line at or above the job's `logLevel`; it should not throw.
 *
 * @example
 * ```ts
 * const lines: string[] = [];
 * const sink: LogSink = (record) => { lines.push(record.line); };
 * new LocalEnvironment('demo', { logSink: sink, logLevel: 'info' });
 * ```
 */
export type LogSink = (record: LogRecord) => void;
