import { SageError } from './sage-error.js';

/**
 * A window function (the `windowFn` of `reduce`/`aggregate`, or a `process` window function) returned a Promise
 * or another thenable. Window functions run synchronously while the window fires, as in Flink, so the result
 * cannot be awaited there; the firing is handled as a record error under the operator's error policy (a rejection
 * of that Promise is caught, never left unhandled).
 *
 * @example
 * ```ts
 * keyed.countWindow(2).process(async (k, w, xs) => xs); // AsyncWindowResultError when the window fires
 * keyed.countWindow(2).process((k, w, xs) => xs).map(async (x) => enrich(x)); // do async work after the window
 * ```
 */
export class AsyncWindowResultError extends SageError {
  constructor(readonly operator: string) {
    super(
      `The window function of ${operator} returned a Promise: window functions run synchronously when the ` +
        'window fires; return the result itself, and do async work in a map(...) after the window',
    );
  }
}
