import { SageError } from './sage-error.js';

/**
 * A worker built a different plan than the coordinator from the same job module and `args`: the builder is
 * not deterministic (it branched on `Math.random()`, `Date.now()`, the environment…), or the module file differs
 * between the two. Every worker checks the plan fingerprint (plan summary + module file hash) before it runs.
 *
 * @example
 * ```ts
 * try { await env.submit({ backend: { kind: 'threads', workers: 2 }, autostop: true }); }
 * catch (e) { if (e instanceof JobFailedError && e.cause instanceof PlanMismatchError) console.error(e.cause.worker); }
 * ```
 */
export class PlanMismatchError extends SageError {
  constructor(
    /** The worker whose plan differs. */
    readonly worker: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(
      `Worker ${worker} built a different plan (fingerprint ${actual.slice(0, 12)}, expected ${expected.slice(0, 12)}): ` +
        'the job builder must build the same pipeline from the same args in every worker; do not branch on ' +
        'Math.random(), Date.now(), process.env or anything but args, and deploy the same module file everywhere',
    );
  }
}
