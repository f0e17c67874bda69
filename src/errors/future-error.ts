import { SageError } from './sage-error.js';

/**
 * Thrown for a misused feedback future: filling a stream that is not a future, filling a future twice, or
 * submitting a pipeline whose future was never filled.
 *
 * @example
 * ```ts
 * const loop = env.fromFuture<number>('loop');
 * await env.submit(); // FutureError: future 'loop' was never filled: call stream.fillFuture(loop)
 * ```
 */
export class FutureError extends SageError {}
