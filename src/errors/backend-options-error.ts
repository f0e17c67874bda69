import { SageError } from './sage-error.js';

/**
 * The `backend` of a submit is malformed: an unknown backend, a threads backend whose `workers`, `batchSize` or
 * `credits` is not a positive integer, or a Redis backend without a `redis://` (or `rediss://`,
 * `redis+cluster://`) `url`. The message says which option, what it got and what to pass instead. Thrown by
 * `submit` before anything starts.
 *
 * @example
 * ```ts
 * try { await env.submit({ backend: { kind: 'threads', workers: 0 } }); }
 * catch (e) { if (e instanceof BackendOptionsError) console.error(e.message); }
 * ```
 */
export class BackendOptionsError extends SageError {
  constructor(
    readonly option: string,
    problem: string,
  ) {
    super(`submit({ backend }): ${option} ${problem}`);
  }
}
