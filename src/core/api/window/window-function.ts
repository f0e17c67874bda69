import type { Window } from './window.js';

/**
 * The optional second function of `reduce` / `aggregate`: it receives the key, the window and the window's
 * single pre-aggregated result (as a one-item list, Flink's habit) and returns the record to emit
 * (`undefined` emits nothing).
 *
 * @example
 * ```ts
 * const label: WindowFunction<number, { page: string; n: number }, string> =
 *   (page, window, counts) => ({ page, start: window.start, n: counts[0] });
 * ```
 */
export type WindowFunction<IN, OUT, K = unknown, W extends Window = Window> = (
  key: K,
  window: W,
  elements: readonly IN[],
) => OUT | undefined;

/**
 * Combines two records of a window into one (Flink's `ReduceFunction`); it runs as records arrive.
 *
 * @example
 * ```ts
 * const max: ReduceFunction<number> = (a, b) => Math.max(a, b);
 * ```
 */
export type ReduceFunction<T> = (a: T, b: T) => T;

/**
 * A process window function written as a plain function: it receives all records of the window and returns
 * the records to emit (or nothing).
 *
 * @example
 * ```ts
 * const top3: ProcessWindowFn<number, number> = (_key, _window, xs) => [...xs].sort((a, b) => b - a).slice(0, 3);
 * ```
 */
export type ProcessWindowFn<IN, OUT, K = unknown, W extends Window = Window> = (
  key: K,
  window: W,
  elements: readonly IN[],
) => Iterable<OUT> | undefined | void;
