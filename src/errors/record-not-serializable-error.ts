import { SageError } from './sage-error.js';

/**
 * A record (or its key) would not survive a thread boundary: it holds a function, a symbol, a class
 * instance (whose methods would be lost), or something else structured clone refuses. Raised by
 * `config.checkSerializable: true` at every non-fused edge, under the operator's error policy (`'skip'` drops and
 * counts the record, `'fail'` fails the job), so such records are found in-process before the job runs on
 * worker threads.
 *
 * @example
 * ```ts
 * const env = new LocalEnvironment('check', { checkSerializable: true, errorPolicy: 'fail' });
 * env.fromBatch([new Point(1, 2)]).map((p) => p, { parallelism: 2 }).print(); // fails: Point loses its class
 * ```
 */
export class RecordNotSerializableError extends SageError {
  constructor(
    /** Where in the record: `$` is the record, `key` its key. */
    readonly path: string,
    reason: string,
  ) {
    super(
      `A record cannot cross a thread boundary: at ${path}, ${reason}. Send plain data between operators ` +
        '(objects, arrays, strings, numbers, booleans, null, undefined, bigint, Map, Set, Date, RegExp, typed arrays)',
    );
  }
}
