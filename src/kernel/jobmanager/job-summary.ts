import { InvalidPageError } from '../../errors/invalid-page-error.js';
import type { JobState, JobStatus } from './job-status.js';

/** Jobs in one page of a job list when the caller gives no `limit`. */
export const DEFAULT_PAGE_LIMIT = 100;

/** Most jobs one page of a job list may hold. */
export const MAX_PAGE_LIMIT = 1000;

/**
 * One job in a job list: identity, state, times and a few counts; no per-operator arrays and no plan (those stay
 * with the full status of `getJobStatus`), so a page of a thousand jobs stays small.
 *
 * @example
 * ```ts
 * const { jobs, total } = jm.listJobSummaries({ limit: 10 });
 * for (const job of jobs) console.log(job.uuid, job.name, job.status, job.runtimeMs);
 * ```
 */
export interface JobSummary {
  readonly uuid: string;
  readonly name: string;
  readonly status: JobState;
  /** ISO time the job was submitted. */
  readonly startTime: string;
  /** ISO time the job ended, once it has. */
  readonly endTime?: string;
  /** Milliseconds from submit to end (or to now while it runs). */
  readonly runtimeMs: number;
  /** Logical operators of the job. */
  readonly operators: number;
  /** Record errors, summed over the operators. */
  readonly errors: number;
  /** Records waiting in input queues. */
  readonly queued: number;
}

/** Which page of a job list to answer. */
export interface PageOptions {
  /** Jobs to skip, in submit order (default 0). */
  readonly offset?: number;
  /** Most jobs to answer (default 100, at most 1000). */
  readonly limit?: number;
}

/** One page of a job list, and how many jobs there are in all. */
export interface JobSummaryPage {
  readonly jobs: readonly JobSummary[];
  readonly total: number;
}

/**
 * The summary of a job's full status.
 *
 * @example
 * ```ts
 * const summary = summarizeJob(info.toStatus());
 * ```
 */
export function summarizeJob(status: JobStatus): JobSummary {
  let errors = 0;
  for (const o of status.operators) errors += o.errors;
  return {
    uuid: status.uuid,
    name: status.name,
    status: status.status,
    startTime: status.startTime,
    ...(status.endTime !== undefined ? { endTime: status.endTime } : {}),
    runtimeMs: status.runtimeMs,
    operators: status.operators.length,
    errors,
    queued: status.queued,
  };
}

/**
 * Checks page options and fills in the defaults; throws an `InvalidPageError` for a negative or fractional
 * `offset`, or a `limit` outside 1‥1000.
 *
 * @example
 * ```ts
 * pageRange({ offset: 200 }); // { offset: 200, limit: 100 }
 * ```
 */
export function pageRange(options: PageOptions = {}): { offset: number; limit: number } {
  const offset = options.offset ?? 0;
  const limit = options.limit ?? DEFAULT_PAGE_LIMIT;
  if (!Number.isSafeInteger(offset) || offset < 0) throw new InvalidPageError('offset', offset);
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT)
    throw new InvalidPageError('limit', limit);
  return { offset, limit };
}
