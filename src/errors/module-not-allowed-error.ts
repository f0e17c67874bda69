import { SageError } from './sage-error.js';

/**
 * A job module path points outside the server's job roots (after resolving `..` and symbolic links), does not
 * exist, or is not a loadable module file.
 *
 * @example
 * ```ts
 * try { await loader.load('../../etc/passwd'); }
 * catch (e) { if (e instanceof ModuleNotAllowedError) console.error(e.message); }
 * ```
 */
export class ModuleNotAllowedError extends SageError {
  constructor(
    readonly modulePath: string,
    reason: string,
  ) {
    super(`Job module ${JSON.stringify(modulePath)} is not allowed: ${reason}`);
  }
}
