import { BaseFunction } from '../function/base-function.js';
import type { Window } from './window.js';

/**
 * A window function that sees every record of the window when it fires (Flink's `ProcessWindowFunction`):
 * return an iterable of results and/or pass results to `this.collect(item)` (returned items go first). A
 * window processed this way keeps its records, not an accumulator.
 *
 * @example
 * ```ts
 * class SessionSummary extends ProcessWindowFunction<Click, Summary, string> {
 *   process(user: string, window: Window, clicks: readonly Click[]) {
 *     this.collect({ user, from: window.start, to: window.end, clicks: clicks.length });
 *   }
 * }
 * keyed.window(EventTimeSessionWindows.withGap(60_000)).process(SessionSummary);
 * ```
 */
export abstract class ProcessWindowFunction<
  IN,
  OUT,
  K = unknown,
  W extends Window = Window,
> extends BaseFunction {
  private collected: OUT[] | undefined;

  /** Called once per firing with the key, the window and its records (in arrival order). */
  abstract process(key: K, window: W, elements: readonly IN[]): Iterable<OUT> | undefined | void;

  /** Emits `item` after the items returned by the current `process` call. */
  collect(item: OUT): void {
    (this.collected ??= []).push(item);
  }

  /** Used by the engine: returns and forgets the items collected since the last call. */
  takeCollected(): readonly OUT[] | undefined {
    const items = this.collected;
    this.collected = undefined;
    return items;
  }
}
