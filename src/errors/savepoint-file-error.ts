import { SageError } from './sage-error.js';

/**
 * A savepoint file of the `sage` command cannot be used: `--from-savepoint FILE` is unreadable, is not JSON or
 * is not a savepoint; or `--out FILE` / `--savepoint FILE` cannot be written. `operation` tells which: a file
 * that cannot be read is a usage error (exit 2, nothing was sent), one that cannot be written exits 1.
 *
 * @example
 * ```ts
 * throw new SavepointFileError('read', 'sp.json', 'it is not JSON: Unexpected token');
 * ```
 */
export class SavepointFileError extends SageError {
  constructor(
    readonly operation: 'read' | 'write',
    readonly file: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      operation === 'read'
        ? `Cannot use savepoint file ${file}: ${reason}. Give a file written by \`sage job savepoint <uuid> --out FILE\``
        : `Cannot write savepoint file ${file}: ${reason}. Choose a path in a writable directory`,
      options,
    );
  }
}
