/**
 * Base class of every error sage-kernel throws on purpose, so callers can tell ours from theirs.
 *
 * @example
 * ```ts
 * try { env.fromBatch([1]).map(fn, { parallelism: 0 }); }
 * catch (e) { if (e instanceof SageError) console.error(e.message); }
 * ```
 */
export class SageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
