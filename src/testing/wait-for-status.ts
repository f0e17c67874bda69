import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { JobStateError } from '../errors/job-state-error.js';
import { toError } from '../errors/to-error.js';
import type { JobOutcome } from '../kernel/runtime/job-outcome.js';
import type { JobState, JobStatus, UnknownJobStatus } from '../kernel/jobmanager/job-status.js';
import { TestTimeoutError } from './test-timeout-error.js';

/** Anything that answers job status queries: a JobManager, a remote environment's proxy, … */
export interface JobStatusSource {
  getJobStatus(uuid: string): JobStatus | UnknownJobStatus | PromiseLike<JobStatus | UnknownJobStatus>;
  /** When present (a local JobManager), the end of a job is awaited as an event instead of being polled. */
  getJob?(uuid: string): { whenDone(): Promise<JobOutcome> } | undefined;
}

/** A status to wait for. */
export type AwaitedStatus = JobState | 'not_found';

/** Options of `waitForStatus`. */
export interface WaitForStatusOptions {
  /** Give up after this many milliseconds (default 5000) with a TestTimeoutError. */
  readonly timeout?: number;
  /** Milliseconds between two status queries while no event can tell (default 5). */
  readonly interval?: number;
  /** Where the waiting happens (default `asyncScheduler`). */
  readonly scheduler?: SchedulerLike;
}

const TERMINAL: readonly AwaitedStatus[] = ['completed', 'stopped', 'failed', 'not_found'];

/**
 * Resolves with the job's status once it is one of `wanted`, for tests in real time: no fixed sleep, the
 * status is checked at once, when the job ends (an event, on a local JobManager) and at a short interval
 * otherwise. Rejects with a JobStateError when the job ended in another state (it will never get there), and
 * with a TestTimeoutError after `timeout`.
 *
 * @example
 * ```ts
 * const uuid = await env.submit();
 * env.jobManager.pauseJob(uuid);
 * await waitForStatus(env.jobManager, uuid, 'paused');
 * env.jobManager.continueJob(uuid);
 * await waitForStatus(env.jobManager, uuid, ['completed', 'stopped'], { timeout: 2000 });
 * ```
 */
export function waitForStatus(
  source: JobStatusSource,
  uuid: string,
  wanted: AwaitedStatus | readonly AwaitedStatus[],
  options: WaitForStatusOptions = {},
): Promise<JobStatus | UnknownJobStatus> {
  const targets: readonly AwaitedStatus[] = typeof wanted === 'string' ? [wanted] : wanted;
  const timeoutMs = options.timeout ?? 5000;
  const intervalMs = options.interval ?? 5;
  const scheduler = options.scheduler ?? asyncScheduler;
  const waitingFor = `job ${uuid} to be ${targets.join(' or ')}`;
  return new Promise((resolve, reject) => {
    let settled = false;
    let lastSeen = 'nothing yet';
    let querying = false;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      poll.unsubscribe();
      deadline.unsubscribe();
      outcome();
    };
    const judge = (status: JobStatus | UnknownJobStatus): void => {
      lastSeen = status.status;
      if (targets.includes(status.status)) {
        finish(() => {
          resolve(status);
        });
      } else if (TERMINAL.includes(status.status)) {
        const detail = 'error' in status && status.error !== undefined ? `: ${status.error}` : '';
        finish(() => {
          reject(
            new JobStateError(
              `Job ${uuid} ended as ${status.status}${detail} while waiting for ${targets.join(' or ')}`,
            ),
          );
        });
      }
    };
    const check = (): void => {
      if (settled || querying) return;
      let answer: JobStatus | UnknownJobStatus | PromiseLike<JobStatus | UnknownJobStatus>;
      try {
        answer = source.getJobStatus(uuid);
      } catch (e) {
        finish(() => {
          reject(toError(e));
        });
        return;
      }
      if (!isThenable(answer)) {
        judge(answer);
        return;
      }
      querying = true;
      answer.then(
        (status) => {
          querying = false;
          judge(status);
        },
        (error: unknown) => {
          querying = false;
          finish(() => {
            reject(toError(error));
          });
        },
      );
    };
    const poll = scheduler.schedule(function () {
      check();
      if (!settled) this.schedule(undefined, intervalMs);
    }, intervalMs);
    const deadline = scheduler.schedule(() => {
      finish(() => {
        reject(new TestTimeoutError(waitingFor, timeoutMs, lastSeen));
      });
    }, timeoutMs);
    source
      .getJob?.(uuid)
      ?.whenDone()
      .then(check, () => undefined);
    check();
  });
}

function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as Partial<PromiseLike<T>>).then === 'function';
}
