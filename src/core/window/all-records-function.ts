import type { Window } from '../api/window/window.js';

/**
 * A window function over all records of a window at once: how `process` runs, and how `reduce` / `aggregate`
 * run when an evictor makes the window keep its records.
 *
 * @example
 * ```ts
 * const count: AllRecordsFunction<string, number, number> = (_k, _w, xs, out) => { out(xs.length); };
 * ```
 */
export type AllRecordsFunction<K, IN, OUT> = (
  key: K,
  window: Window,
  values: readonly IN[],
  out: (value: OUT) => void,
) => void;
