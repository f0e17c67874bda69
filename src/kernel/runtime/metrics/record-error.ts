/**
 * One error caught in user code of an operator instance, kept for the dashboard's error list.
 *
 * @example
 * ```ts
 * const last: RecordError | undefined = metrics.recentErrors.at(-1);
 * ```
 */
export interface RecordError {
  /** The job scheduler's time of the error, in ms. */
  readonly time: number;
  readonly message: string;
}

/**
 * How many errors each instance keeps (the oldest go first); a job's list keeps as many over all instances.
 *
 * @example
 * ```ts
 * const latest = all.slice(-RECENT_ERRORS);
 * ```
 */
export const RECENT_ERRORS = 20;
