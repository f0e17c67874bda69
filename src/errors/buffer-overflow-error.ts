import { SageError } from './sage-error.js';

/**
 * Raised when a push source (`fromObservable`) outruns its bounded buffer under the `'error'` overflow policy.
 *
 * @example
 * ```ts
 * env.fromObservable(interval(0), { bufferSize: 100, overflow: 'error' });
 * ```
 */
export class BufferOverflowError extends SageError {
  constructor(
    readonly operator: string,
    readonly bufferSize: number,
  ) {
    super(
      `${operator}: push source overflowed its buffer of ${bufferSize} records while downstream was busy; ` +
        "raise { bufferSize } or choose { overflow: 'drop-oldest' | 'drop-newest' }",
    );
  }
}
