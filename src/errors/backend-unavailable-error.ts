import { SageError } from './sage-error.js';

/**
 * A job asked for a backend it cannot run on: a job built inline in a script (not from a job module) asked for
 * a backend beyond this thread, whose workers must import the pipeline's code themselves.
 *
 * @example
 * ```ts
 * const env = new LocalEnvironment('inline');
 * env.fromBatch([1, 2, 3]).print();
 * await env.submit({ backend: { kind: 'threads' } }); // BackendUnavailableError: move the pipeline into a job module
 * ```
 */
export class BackendUnavailableError extends SageError {
  constructor(
    readonly backend: string,
    reason: string,
  ) {
    super(`The ${backend} backend cannot run this job: ${reason}`);
  }

  /**
   * The error for an inline job (no module) that asked for `backend`, with how to turn it into a module.
   *
   * @example
   * ```ts
   * throw BackendUnavailableError.inline('threads', 'etl');
   * ```
   */
  static inline(backend: string, job: string): BackendUnavailableError {
    return new BackendUnavailableError(
      backend,
      `job ${job} was built inline, not from a job module, so other threads cannot build it. Move the ` +
        'pipeline into a module that exports `export default function build(env, args) { … }` and run it with ' +
        "`const env = await LocalEnvironment.fromModule(new URL('./job.ts', import.meta.url), { args })`, then " +
        "`env.submit({ backend: { kind: '" +
        backend +
        "' } })` (or submit the module to a JobManager server)",
    );
  }
}
