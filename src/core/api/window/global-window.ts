import type { Window } from './window.js';

/**
 * The one window of `GlobalWindows`: it spans all time, so its results carry the timestamp `+Infinity` and it
 * never ends by itself; only its trigger makes it fire.
 *
 * @example
 * ```ts
 * const w = GlobalWindow.get();
 * w.maxTimestamp(); // Infinity
 * ```
 */
export class GlobalWindow implements Window {
  private static readonly instance = new GlobalWindow();
  readonly start = Number.NEGATIVE_INFINITY;
  readonly end = Number.POSITIVE_INFINITY;

  private constructor() {}

  /** The global window (there is only one). */
  static get(): GlobalWindow {
    return GlobalWindow.instance;
  }

  maxTimestamp(): number {
    return Number.POSITIVE_INFINITY;
  }
}
