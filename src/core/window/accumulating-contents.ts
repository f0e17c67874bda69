import type { Window } from '../api/window/window.js';
import type { WindowFunction } from '../api/window/window-function.js';
import type { Accumulator } from './accumulator.js';
import type { WindowContents } from './window-contents.js';
import { NO_CONTENTS } from './window-slot.js';

/**
 * Contents of `reduce` / `aggregate` windows without an evictor: one accumulator per window, updated as
 * records arrive (records are never kept). Firing emits the accumulator's result, through `windowFn` if given.
 *
 * @example
 * ```ts
 * const contents = new AccumulatingContents(sumAccumulator, undefined);
 * ```
 */
export class AccumulatingContents<K, IN, ACC, R, OUT> implements WindowContents<K, IN, OUT> {
  constructor(
    private readonly acc: Accumulator<IN, ACC, R>,
    private readonly windowFn: WindowFunction<R, OUT, K> | undefined,
  ) {}

  add(contents: unknown, value: IN): unknown {
    return contents === NO_CONTENTS ? this.acc.first(value) : this.acc.add(contents as ACC, value);
  }

  merge(a: unknown, b: unknown): unknown {
    return this.acc.merge(a as ACC, b as ACC);
  }

  fire(key: K, window: Window, contents: unknown, _clocks: unknown, out: (value: OUT) => void): unknown {
    const result = this.acc.result(contents as ACC);
    const value =
      this.windowFn === undefined ? (result as unknown as OUT) : this.windowFn(key, window, [result]);
    if (value !== undefined) out(value);
    return contents;
  }

  copy(contents: unknown): unknown {
    return contents;
  }
}
