import { SageError } from './sage-error.js';

/**
 * A job module could be found but not used: it failed to import, its export is not a builder function, or
 * the builder threw while building the pipeline. The message includes the original error's message; the
 * original error is the `cause`.
 *
 * @example
 * ```ts
 * try { await remote.submit({ module: 'broken.mjs' }); }
 * catch (e) { if (e instanceof RequestFailedError) console.error(e.message); } // "... threw while building: ..."
 * ```
 */
export class JobModuleError extends SageError {}
