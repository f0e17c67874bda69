import { SageError } from './sage-error.js';

/**
 * Thrown by `join(…)` when an input is not hash-keyed, so equal keys could not meet on one instance.
 *
 * @example
 * ```ts
 * a.connect(b).join(J); // UnkeyedJoinError: key both inputs first
 * ```
 */
export class UnkeyedJoinError extends SageError {
  constructor(readonly input: number) {
    super(
      `join input ${input} is not keyed: key both inputs with a hash keyBy first, ` +
        'e.g. a.keyBy(f).connect(b.keyBy(g)).join(J) or a.connect(b).keyBy([f, g]).join(J)',
    );
  }
}
