import { BaseFunction } from './base-function.js';

/** What a flatMap function may return: an iterable of items, nothing, or a Promise of either. */
export type FlatMapResult<O> = Iterable<O> | undefined | void | PromiseLike<Iterable<O> | undefined | void>;

/**
 * A 1 → N transformation: return an iterable of items and/or pass items to `this.collect(item)`. The returned
 * items go first, then the collected ones.
 *
 * @example
 * ```ts
 * class Words extends FlatMapFunction<string, string> {
 *   execute(line: string) { for (const w of line.split(' ')) this.collect(w); }
 * }
 * ```
 */
export abstract class FlatMapFunction<I, O> extends BaseFunction {
  private collected: O[] | undefined;

  abstract execute(data: I): FlatMapResult<O>;

  /** Emits `item` after the items returned by the current `execute` call. */
  collect(item: O): void {
    (this.collected ??= []).push(item);
  }

  /** Used by the runtime: returns and forgets the items collected since the last call. */
  takeCollected(): readonly O[] | undefined {
    const items = this.collected;
    this.collected = undefined;
    return items;
  }
}
