import type { Logger } from 'loglevel';
import type { SchedulerLike, Subscription } from 'rxjs';
import { errorMessage } from '../../../errors/error-message.js';

/** How often a failing operator instance logs a summary of its errors when none is configured, in ms. */
export const DEFAULT_ERROR_SUMMARY_INTERVAL_MS = 10_000;

/**
 * The summary interval of a job's config: `errorSummaryIntervalMs` when it is set (checked at submit), else
 * {@link DEFAULT_ERROR_SUMMARY_INTERVAL_MS}.
 *
 * @example
 * ```ts
 * errorSummaryInterval({ errorSummaryIntervalMs: 60_000 }); // 60000
 * ```
 */
export function errorSummaryInterval(config: Readonly<Record<string, unknown>>): number {
  const ms = config['errorSummaryIntervalMs'];
  return typeof ms === 'number' ? ms : DEFAULT_ERROR_SUMMARY_INTERVAL_MS;
}

/**
 * Logs the errors of one operator instance without flooding the log: the first with its stack, then at most one
 * summary per interval of the job's scheduler (how many more, how many in all, the last message), and a last
 * summary when the job ends. It is only reached when a call failed, never on the per-record path.
 *
 * @example
 * ```ts
 * const reporter = new ErrorReporter(ctx.logger, scheduler, 10_000, 'skip');
 * reporter.report(new Error('bad record'), 'a record'); // logged with its stack
 * reporter.report(new Error('bad again'), 'a record');  // counted; summarized within 10 s
 * reporter.flush();                                     // at the end of the job
 * ```
 */
export class ErrorReporter {
  private total = 0;
  private pending = 0;
  private last = '';
  private timer: Subscription | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly scheduler: SchedulerLike,
    private readonly intervalMs: number,
    private readonly policy: string,
  ) {}

  /** Notes that `what` (`'a record'`, `'close()'`, …) failed with `error`. */
  report(error: unknown, what: string): void {
    this.total++;
    if (this.total === 1) {
      this.logger.warn(`${what} failed (errorPolicy '${this.policy}'):`, error);
      return;
    }
    this.pending++;
    this.last = `${what}: ${errorMessage(error)}`;
    this.timer ??= this.scheduler.schedule(() => {
      this.timer = undefined;
      this.summarize();
    }, this.intervalMs);
  }

  /** Logs what is not summarized yet and cancels the pending summary (the job ended). */
  flush(): void {
    this.timer?.unsubscribe();
    this.timer = undefined;
    this.summarize();
  }

  private summarize(): void {
    if (this.pending === 0) return;
    const more = this.pending;
    this.pending = 0;
    this.logger.warn(
      `${String(more)} more error${more === 1 ? '' : 's'} (${String(this.total)} in all, errorPolicy ` +
        `'${this.policy}'); last: ${this.last}`,
    );
  }
}
