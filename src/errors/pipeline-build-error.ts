import { SageError } from './sage-error.js';

/**
 * Thrown when a pipeline cannot be built or compiled: an empty pipeline, a stream of another environment,
 * an unfilled future and the like. The message says what to change.
 *
 * @example
 * ```ts
 * await new LocalEnvironment().submit(); // PipelineBuildError: the pipeline has no source
 * ```
 */
export class PipelineBuildError extends SageError {}
