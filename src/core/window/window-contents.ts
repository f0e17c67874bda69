import type { EvictorContext } from '../api/window/evictor-context.js';
import type { Window } from '../api/window/window.js';

/**
 * How a window's contents grow and what they give when the window fires: an accumulator for `reduce` and
 * `aggregate`, the records for `process` or with an evictor. `NO_CONTENTS` stands for an empty window.
 *
 * @example
 * ```ts
 * let c: unknown = NO_CONTENTS;
 * c = contents.add(c, 5, 1_000);
 * c = contents.fire('k', window, c, clocks, (out) => results.push(out));
 * ```
 */
export interface WindowContents<K, IN, OUT> {
  /** Adds a record to the contents (which may be `NO_CONTENTS`) and returns the new contents. */
  add(contents: unknown, value: IN, timestamp: number): unknown;
  /** The contents of two merging windows as one (neither is `NO_CONTENTS`). */
  merge(a: unknown, b: unknown): unknown;
  /** Emits the window's results through `out` and returns the contents to keep (an evictor may remove some). */
  fire(key: K, window: Window, contents: unknown, clocks: EvictorContext, out: (value: OUT) => void): unknown;
  /** A copy of the contents for a snapshot (records lists are copied, accumulators are kept as they are). */
  copy(contents: unknown): unknown;
}
