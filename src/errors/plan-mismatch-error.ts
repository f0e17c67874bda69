import { JobFailedError } from './job-failed-error.js';

/**
 * A worker built a different plan than the coordinator from the same job module and `args`: the builder is
 * not deterministic (it branched on `Math.random()`, `Date.now()`, the environment…), or the module file differs
 * between the two. Every worker checks the plan fingerprint (plan summary + module file hash) before it runs, and
 * a mismatch fails the job with this error: `submit({ autostop: true })` rejects with it. It is a
 * `JobFailedError` (its `operator` is the worker), so code that handles failed jobs handles it too.
 *
 * @example
 * ```ts
 * try { await env.submit({ backend: { kind: 'threads', workers: 2 }, autostop: true }); }
 * catch (e) { if (e instanceof PlanMismatchError) console.error(e.worker, e.message); }
 * ```
 */
export class PlanMismatchError extends JobFailedError {
  constructor(
    /** The worker whose plan differs. */
    readonly worker: string,
    readonly expected: string,
    readonly actual: string,
    /** The job's name, when known where the mismatch is found. */
    jobName = '',
  ) {
    super(jobName, worker, undefined);
    this.message =
      `${jobName !== '' ? `Job ${jobName}: w` : 'W'}orker ${worker} built a different plan (fingerprint ${actual.slice(0, 12)}, expected ${expected.slice(0, 12)}): ` +
      'the job builder must build the same pipeline from the same args in every worker; do not branch on ' +
      'Math.random(), Date.now(), process.env or anything but args, and deploy the same module file everywhere';
  }
}
